"""The front ends: the Textual wizard (app.py) and the line-by-line mode (prompts.py, lines.py).

Nothing is imported here, so that `wizard.tui.prompts` never loads Textual and the reverse.
"""
