"""A small prompt interface, so commands can be driven by questionary or by a script.

``QuestionaryPrompter`` asks in the terminal. ``ScriptedPrompter`` answers from a
list (tests, and anyone who wants to automate). Ctrl-C always surfaces as
``KeyboardInterrupt``: the caller saves what it has and exits with code 130.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from samordna.core.errors import SamordnaError
from samordna.core.privacy import strip_invisible

Validator = Callable[[str], "bool | str"]


@dataclass(frozen=True)
class Choice:
    title: str
    value: Any
    description: str | None = None
    disabled: str | None = None


class Prompter(Protocol):
    def say(self, text: str = "") -> None: ...
    def select(self, message: str, choices: Sequence[Choice], default: Any = None,
               instruction: str | None = None) -> Any: ...
    def checkbox(self, message: str, choices: Sequence[Choice], checked: Sequence[Any] = (),
                 instruction: str | None = None) -> list[Any]: ...
    def text(self, message: str, default: str = "", validate: Validator | None = None,
             instruction: str | None = None) -> str: ...
    def confirm(self, message: str, default: bool = True) -> bool: ...


def plain_terminal() -> bool:
    """True where we should avoid colour and non-ASCII glyphs."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


class QuestionaryPrompter:
    """Asks in the terminal through questionary; Ctrl-C raises KeyboardInterrupt."""

    def __init__(self, input=None, output=None):
        import questionary  # noqa: F401  (imported here to keep --help fast)

        from samordna.ui.questionary_nb import install

        install()  # the Norwegian patch, for every questionary prompt samordna asks

        self._kw = {}
        if input is not None:
            self._kw["input"] = input
        if output is not None:
            self._kw["output"] = output

    def _style(self):
        from questionary import Style

        if plain_terminal():
            return Style([("qmark", ""), ("question", "bold"), ("answer", ""), ("pointer", ""),
                          ("highlighted", "reverse"), ("selected", ""), ("instruction", ""), ("text", "")])
        return Style([("qmark", "fg:#2a6f97 bold"), ("question", "bold"), ("answer", "fg:#1b4965 bold"),
                      ("pointer", "fg:#2a6f97 bold"), ("highlighted", "fg:#1b4965 bold"),
                      ("instruction", "fg:#6c757d"), ("selected", "fg:#1b4965")])

    def say(self, text: str = "") -> None:
        out = self._kw.get("output")
        if out is None:
            print(strip_invisible(text), flush=True)  # user text (comments, rationales) without bidi overrides
        # with a test output, messages are not needed on screen

    def _common(self, instruction):
        kw = dict(self._kw)
        kw["style"] = self._style()
        kw["qmark"] = "?"
        if instruction is not None:
            kw["instruction"] = instruction
        return kw

    def select(self, message, choices, default=None, instruction=None):
        import questionary

        qchoices = [questionary.Choice(c.title, value=c.value, description=c.description, disabled=c.disabled)
                    for c in choices]
        default_choice = next((qc for qc, c in zip(qchoices, choices, strict=True) if c.value == default), None)
        return questionary.select(
            message, choices=qchoices, default=default_choice, pointer=">", use_shortcuts=False,
            use_arrow_keys=True, use_jk_keys=False, **self._common(instruction),
        ).unsafe_ask()

    def checkbox(self, message, choices, checked=(), instruction=None):
        import questionary

        qchoices = [questionary.Choice(c.title, value=c.value, description=c.description,
                                       checked=c.value in checked, disabled=c.disabled) for c in choices]
        return questionary.checkbox(message, choices=qchoices, pointer=">", **self._common(instruction)).unsafe_ask()

    def text(self, message, default="", validate=None, instruction=None):
        import questionary

        return questionary.text(message, default=default, validate=validate, **self._common(instruction)).unsafe_ask()

    def confirm(self, message, default=True):
        import questionary

        kw = self._common(None)
        kw.pop("instruction", None)
        return questionary.confirm(message, default=default, auto_enter=True, **kw).unsafe_ask()


INTERRUPT = object()  # in a script: behave as if the user pressed Ctrl-C here


class ScriptError(AssertionError):
    pass


class ScriptedPrompter:
    """Answers prompts from a list, in order. ``INTERRUPT`` raises KeyboardInterrupt.

    Each scripted answer is the *value* to return. For ``text`` a validator is run
    and a rejected value raises ``ScriptError`` unless the next item follows it
    (so tests can script «first a bad comment, then a good one»).
    """

    def __init__(self, answers: Sequence[Any]):
        self.answers = list(answers)
        self.transcript: list[tuple[str, str]] = []
        self.said: list[str] = []

    def _next(self, kind: str, message: str) -> Any:
        self.transcript.append((kind, message))
        if not self.answers:
            raise ScriptError(f"script ran out of answers at {kind}: {message!r}")
        value = self.answers.pop(0)
        if value is INTERRUPT:
            raise KeyboardInterrupt
        return value

    def say(self, text: str = "") -> None:
        self.said.append(strip_invisible(text))  # what a terminal would be shown

    def select(self, message, choices, default=None, instruction=None):
        value = self._next("select", message)
        allowed = [c.value for c in choices if not c.disabled]
        if value not in allowed:
            raise ScriptError(f"{value!r} is not a choice for {message!r}: {allowed!r}")
        return value

    def checkbox(self, message, choices, checked=(), instruction=None):
        value = self._next("checkbox", message)
        allowed = [c.value for c in choices if not c.disabled]
        bad = [v for v in value if v not in allowed]
        if bad:
            raise ScriptError(f"{bad!r} are not choices for {message!r}")
        return list(value)

    def text(self, message, default="", validate=None, instruction=None):
        while True:
            value = self._next("text", message)
            if validate is None:
                return value
            verdict = validate(value)
            if verdict is True:
                return value
            self.said.append(str(verdict))
            if not self.answers:
                raise ScriptError(f"validator rejected {value!r}: {verdict}")

    def confirm(self, message, default=True):
        value = self._next("confirm", message)
        if not isinstance(value, bool):
            raise ScriptError(f"confirm expects a bool, got {value!r}")
        return value


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def terminal_prompter(no_terminal: str) -> Prompter:
    """The one way a command gets a prompter: questionary in a terminal, or ``no_terminal`` as a clear refusal.

    Tests replace this function with one that returns a ``ScriptedPrompter``."""
    if not is_interactive():
        raise SamordnaError(no_terminal)
    return QuestionaryPrompter()
