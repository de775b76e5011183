"""The front ends: the Textual wizard (app.py) and the line-by-line questionary mode (prompts.py).

Nothing is imported here, so that `wizard.tui.prompts` never loads Textual and the reverse.
"""
