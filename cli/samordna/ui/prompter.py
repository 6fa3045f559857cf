"""A small prompt interface, so commands can be driven by questionary or by a script.

``QuestionaryPrompter`` asks in the terminal, in the current language (``samordna.i18n``): in bokmål its
confirm reads «(J/n)», and it takes «j» and «y» for yes in every language; the multi-select's English words
(«done (3 selections)», the key hints) are replaced by ours (``install_norwegian``).
``ScriptedPrompter`` answers from a list (tests, and anyone who wants to automate). Ctrl-C always surfaces as
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
from samordna.i18n import N_, _

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
        install_norwegian()

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
        kw = self._common(None)
        kw.pop("instruction", None)
        return norwegian_confirm(message, default=default, **kw).unsafe_ask()


YES, NO = N_("Ja"), N_("Nei")  # shown translated: _(YES)
YES_KEYS, NO_KEYS = "jJyY", "nN"  # in every language: «j» in Norwegian, «y» for people used to English programs


def confirm_line(message: str, default: bool, answer: bool | None, complete: bool,
                 qmark: str = "?") -> list[tuple[str, str]]:
    """The confirm's prompt line: «? Lagre? (J/n) » while asking, «? Lagre? Ja» when answered."""
    out = [("class:qmark", qmark), ("class:question", f" {message} ")]
    if not complete:
        out.append(("class:instruction", _("(J/n) ") if default else _("(j/N) ")))
    if answer is not None:
        out.append(("class:answer", _(YES) if answer else _(NO)))
    return out


def norwegian_confirm(message: str, default: bool = True, qmark: str = "?", style: Any = None, **kwargs: Any) -> Any:
    """questionary's confirm in the current language (bokmål: «(J/n)» or «(j/N)»), «j»/«y» or «n» answers at
    once, Enter takes the default, the answer shows as «Ja» or «Nei». Returns a questionary ``Question``."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import to_formatted_text
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys
    from questionary.question import Question
    from questionary.styles import merge_styles_default

    status: dict[str, Any] = {"answer": None, "complete": False}

    def tokens():
        return to_formatted_text(list(confirm_line(message, default, status["answer"], status["complete"], qmark)))

    def finish(event):
        status["complete"] = True
        event.app.exit(result=status["answer"])

    bindings = KeyBindings()

    @bindings.add(Keys.ControlQ, eager=True)
    @bindings.add(Keys.ControlC, eager=True)
    def _interrupt(event):
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    def answer(value: bool):
        def handler(event):
            status["answer"] = value
            finish(event)
        return handler

    for key in YES_KEYS:
        bindings.add(key)(answer(True))
    for key in NO_KEYS:
        bindings.add(key)(answer(False))

    @bindings.add(Keys.ControlM, eager=True)
    def _enter(event):
        if status["answer"] is None:
            status["answer"] = default
        finish(event)

    @bindings.add(Keys.Any)
    def _other(event):
        """Other keys type nothing."""

    return Question(PromptSession(tokens, key_bindings=bindings, style=merge_styles_default([style]), **kwargs).app)


_CHECKBOX_WORDS = [  # questionary's English words -> ours (translated when shown; {n} is the number matched)
    (r"^done \((\d+) selections\)$", N_("{n} valgt")),
    (r"^done$", N_("ingen valgt")),
    (r"^\(Use arrow keys to move, <space> to select, <(?:a|ctrl-a)> to toggle, <(?:i|ctrl-a)> to invert"
     r"(?:, type to filter)?\)$", N_("(piltastene flytter, mellomrom krysser av, «a» alle/ingen, «i» snur valget)")),
    (r"^\(Use arrow keys\)$", N_("(bruk piltastene)")),
    (r"^\(Use shortcuts\)$", N_("(bruk hurtigtastene)")),
]


def norwegian_token(text: str) -> str:
    """One of questionary's fixed English prompt words in the current language (other text unchanged)."""
    import re

    for pattern, repl in _CHECKBOX_WORDS:
        m = re.match(pattern, text)
        if m:
            return _(repl).format(n=m.group(1)) if m.groups() else _(repl)
    return text


_base_layout: Any = None  # questionary's own create_inquirer_layout, once install_norwegian has wrapped it


def install_norwegian() -> None:
    """Let questionary's select and checkbox show our words (in the current language): the prompt line of both
    is made by a function handed to ``create_inquirer_layout``; we wrap that function. Does nothing if
    questionary moves it."""
    try:
        from questionary.prompts import common
    except ImportError:  # pragma: no cover
        return
    global _base_layout
    original = getattr(common, "create_inquirer_layout", None)
    if original is None or getattr(original, "_samordna_nb", False):
        return
    _base_layout = original

    def create_inquirer_layout(ic, get_prompt_tokens, **kwargs):
        def tokens():
            return [(t[0], norwegian_token(t[1]), *t[2:]) if len(t) >= 2 and isinstance(t[1], str) else t
                    for t in get_prompt_tokens()]
        return _base_layout(ic, tokens, **kwargs)

    create_inquirer_layout.__dict__["_samordna_nb"] = True
    common.create_inquirer_layout = create_inquirer_layout


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
