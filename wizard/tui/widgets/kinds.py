"""The mapping from a question's kind to its widget: the only place that knows both."""

from __future__ import annotations

from functools import partial

from wizard.flow import Flow
from wizard.topics.base import Question
from wizard.tui.widgets.fields import BoolField, ChoiceField, Field, InputField
from wizard.tui.widgets.tables import ListField, ModalitiesField, PeersField, UsersField

KIND_FIELDS: dict[str, type[Field]] = {
    "bool": BoolField, "int": InputField, "text": InputField, "networks": InputField,
    "choice": ChoiceField, "users": UsersField, "modalities": ModalitiesField, "peers": PeersField,
}


def field_for(question: Question, flow: Flow) -> Field:
    kind = KIND_FIELDS[question.kind]
    args = (question, flow.value(question.id), flow.text(question))
    if issubclass(kind, ListField):
        return kind(*args, check=partial(flow.item_problems, question.id))
    return kind(*args)
