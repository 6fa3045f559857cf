"""Answer tokens shared everywhere (kept tiny so it is cheap to import)."""

DONT_KNOW = "vet_ikke"
NOT_APPLICABLE = "ikke_relevant"
LEVELS = (0, 1, 2, 3, 4)
