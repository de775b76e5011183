"""Reusable widgets of the wizard: the question fields, the list editors, the sidebar."""
