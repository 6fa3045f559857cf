"""One module per command group. Each has ``register(app)``; ``demo_step(ctx)`` is optional.

Commands parse arguments, call the core and print. Heavy libraries (openpyxl,
matplotlib, weasyprint, questionary) are imported inside the command functions.
"""
