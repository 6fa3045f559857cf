"""samordna: self-assessment of coordinated services for vulnerable children and young people (0-24)."""

__version__ = "0.1.0"
