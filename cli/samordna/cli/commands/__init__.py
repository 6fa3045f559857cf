"""One module per command, named after it (``import_`` for ``import``). Each has ``register(app)``.

Commands parse arguments, call the layers below and print. Heavy libraries
(openpyxl, matplotlib, weasyprint, questionary) are imported inside the command
functions, so ``samordna --help`` stays fast.
"""
