"""``quizcalc settings`` and ``quizcalc decks``: the settings and each deck's daily limits.

    quizcalc settings list --json           # every setting, in words, and where it is kept
                                            # (`quizcalc settings` alone lists them too)
    quizcalc settings set NAME VALUE        # the collection's in its database, the device's in
                                            # config.toml
    quizcalc decks list --json              # each deck's limits today (`quizcalc decks` too)
    quizcalc decks set NAME --new N --reviews N    # a deck's own limits (`default`: the
                                                   # collection's)
    quizcalc decks extend NAME --new N --reviews N  # today only (custom study)

Light at import (only click): ``quizcalc --help`` stays fast.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

import click

from quizcalc.cli.common import UserError, now, open_service, study_errors

if TYPE_CHECKING:
    from quizcalc.cli.common import Options
    from quizcalc.study.collection_settings import DeckLimits

__all__ = ["decks", "settings"]

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _value(name: str, text: str) -> Any:
    """``text`` as the setting ``name`` takes it: a switch's yes/no, a whole number, a
    decimal (desired retention) or a name (the scheduler)."""
    from quizcalc.config import Config

    if isinstance(getattr(Config, name, None), bool):
        lowered = text.strip().lower()
        if lowered in _TRUE | _FALSE:
            return lowered in _TRUE
        return text
    try:
        return int(text.strip())
    except ValueError:
        pass
    if isinstance(getattr(Config, name, None), float):
        try:
            return float(text.strip())
        except ValueError:
            return text
    return text.strip()


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@click.group(invoke_without_command=True)
@click.pass_context
def settings(ctx: click.Context) -> None:
    """Show or change the settings: the collection's (daily limits, the study day, leeches,
    drills) are saved in it and travel with its backups; the device's (backups kept, import
    caps) in config.toml."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(settings_list)


@settings.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object for scripts.")
@click.pass_obj
def settings_list(options: Options, as_json: bool) -> None:
    """Every setting, in words, with its value and where it is kept."""
    from quizcalc.config import COLLECTION_SETTINGS, DEVICE_SETTINGS
    from quizcalc.locations import config_path
    from quizcalc.study.settings import SETTING_LABELS

    with open_service(options, sync=False) as service:
        values = asdict(service.config)
    path = config_path(options.config)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "collection": {name: values[name] for name in COLLECTION_SETTINGS},
                    "device": {name: values[name] for name in DEVICE_SETTINGS},
                    "device_file": str(path),
                },
                indent=2,
            )
        )
        return
    for title, names in (
        ("Saved in this collection (travels with its backups):", COLLECTION_SETTINGS),
        (f"Saved on this device, in {path}:", DEVICE_SETTINGS),
    ):
        click.echo(title)
        for name in names:
            click.echo(f"  {SETTING_LABELS[name]:<37} {_shown(values[name]):>7}   {name}")


@settings.command("set")
@click.argument("name")
@click.argument("value")
@click.pass_obj
def settings_set(options: Options, name: str, value: str) -> None:
    """Set one setting: NAME as `quizcalc settings` lists it (new_per_day, backups_keep…)."""
    from quizcalc.config import COLLECTION_SETTINGS, DEVICE_SETTINGS
    from quizcalc.locations import config_path
    from quizcalc.study.errors import InvalidSetting
    from quizcalc.study.settings import (
        SETTING_LABELS,
        check_settings,
        in_words,
        read_settings,
        save_settings,
    )

    if name not in COLLECTION_SETTINGS and name not in DEVICE_SETTINGS:
        raise UserError(
            f"no setting named {name!r}; the settings are: "
            f"{', '.join((*COLLECTION_SETTINGS, *DEVICE_SETTINGS))}"
        )
    parsed = _value(name, value)
    try:
        check_settings({name: parsed})
    except InvalidSetting as exc:
        raise UserError(f"{in_words(exc)} (nothing was saved)") from exc
    if name in COLLECTION_SETTINGS:
        with open_service(options, sync=False) as service, study_errors():
            service.save_collection_settings({name: parsed})
        where = "saved in this collection"
    else:
        path = config_path(options.config)
        with study_errors():
            save_settings(replace(read_settings(path), **{name: parsed}), path)
        where = f"saved in {path}"
    click.echo(f"{SETTING_LABELS[name]}: {_shown(parsed)} ({name}), {where}")


def _limit_text(own: int | None, today: int, extra: int) -> str:
    base = f"{today - extra}" + ("" if own is not None else " (the collection's)")
    return base + (f" +{extra} today" if extra else "")


def _deck_json(limits: DeckLimits) -> dict[str, Any]:
    return asdict(limits)


@click.group(invoke_without_command=True)
@click.pass_context
def decks(ctx: click.Context) -> None:
    """Each deck's daily limits: its own, or the collection's; raise them for today."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(decks_list)


@decks.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
@click.pass_obj
def decks_list(options: Options, as_json: bool) -> None:
    """Every deck with its new-card and review limits today."""
    with open_service(options) as service, study_errors():
        found = service.deck_limits(now())
        total_new = service.config.new_per_day
        total_reviews = service.config.max_reviews_per_day
    if as_json:
        click.echo(json.dumps([_deck_json(d) for d in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no decks yet: sync or import some cards first.", err=True)
        return
    width = max(len(d.deck) for d in found)
    click.echo(f"{'Deck':<{width}}  {'New cards a day':<28}  Reviews a day")
    for d in found:
        new = _limit_text(d.new_per_day, d.new_today, d.extra_new)
        reviews = _limit_text(d.reviews_per_day, d.reviews_today, d.extra_reviews)
        click.echo(f"{d.deck:<{width}}  {new:<28}  {reviews}")
    click.echo(
        f"The collection shows at most {total_new} new cards and {total_reviews} reviews a day "
        "in all (plus today's extensions), shared between the decks in turn."
    )


def _limit_option(value: str | None, current: int | None) -> int | None:
    """The limit ``--new``/``--reviews`` asks for: ``current`` when not given, ``None`` for
    ``default`` (the collection's), otherwise the whole number."""
    if value is None:
        return current
    if value.strip().lower() == "default":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise UserError(f"{value!r} is not a whole number or 'default'") from exc


@decks.command("set")
@click.argument("name")
@click.option("--new", "new", metavar="N|default", help="New cards a day from this deck.")
@click.option("--reviews", "reviews", metavar="N|default", help="Reviews a day from this deck.")
@click.pass_obj
def decks_set(options: Options, name: str, new: str | None, reviews: str | None) -> None:
    """Give the deck NAME its own daily limits (`default`: the collection's again)."""
    if new is None and reviews is None:
        raise UserError("nothing to set: give --new N and/or --reviews N (or `default`)")
    with open_service(options, sync=False) as service, study_errors():
        current = next((d for d in service.deck_limits(now()) if d.deck == name), None)
        limits = service.set_deck_limits(
            name,
            now(),
            new_per_day=_limit_option(new, current.new_per_day if current else None),
            reviews_per_day=_limit_option(reviews, current.reviews_per_day if current else None),
        )
    new_text = _limit_text(limits.new_per_day, limits.new_today, limits.extra_new)
    reviews_text = _limit_text(limits.reviews_per_day, limits.reviews_today, limits.extra_reviews)
    click.echo(f"{limits.deck}: new cards a day {new_text}; reviews a day {reviews_text}")


@decks.command("extend")
@click.argument("name")
@click.option("--new", "new", type=int, default=0, metavar="N", help="More new cards today.")
@click.option("--reviews", "reviews", type=int, default=0, metavar="N", help="More reviews today.")
@click.pass_obj
def decks_extend(options: Options, name: str, new: int, reviews: int) -> None:
    """Raise today's limits of the deck NAME (custom study): `--new 10` shows ten more of its
    new cards today, on top of the collection's limit; tomorrow the usual limits apply."""
    with open_service(options, sync=False) as service, study_errors():
        limits = service.extend_today(name, now(), new=new, reviews=reviews)
    click.echo(
        f"{limits.deck}: today {limits.new_today} new cards (+{limits.extra_new}) and "
        f"{limits.reviews_today} reviews (+{limits.extra_reviews}); tomorrow the usual limits"
    )
