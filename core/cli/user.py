"""``kesher user``: manage users from the command line (passwords read from stdin)."""
import sys

import click


def _read_password(password_stdin):
    if not password_stdin:
        raise click.UsageError("Give the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise click.UsageError("No password was given on standard input")
    return password


@click.group()
def user():
    """Add users and set their passwords."""


@user.command("add")
@click.argument("login")
@click.option("--name", required=True, help="The user's full name.")
@click.option("--groups", default="base.group_user", show_default=True,
              help="External ids of groups, separated by commas.")
@click.option("--lang", type=click.Choice(["he", "en"]), default="he", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def add(obj, login, name, groups, lang, password_stdin):
    """Create a user."""
    password = _read_password(password_stdin)
    registry = obj.registry()
    with registry.env() as env:
        group_ids = [env.ref(g.strip() if "." in g else f"base.{g.strip()}").id for g in groups.split(",") if g.strip()]
        company = env.ref("base.main_company")
        record = env["res.users"].create({"login": login, "name": name, "lang": lang,
                                          "company_id": company.id, "group_ids": group_ids})
        record.set_password(password)
    click.echo(f"User {login!r} created")


@user.command("passwd")
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@click.pass_obj
def passwd(obj, login, password_stdin):
    """Set a user's password."""
    password = _read_password(password_stdin)
    registry = obj.registry()
    with registry.env() as env:
        record = env["res.users"].with_context(active_test=False).search([("login", "=", login)])
        if not record:
            raise click.ClickException(f"No user with login {login!r}")
        record.set_password(password)
    click.echo(f"Password of {login!r} changed")


@user.command("token")
@click.argument("login")
@click.option("--name", default="API token", show_default=True, help="What the token is for.")
@click.option("--expires-days", type=click.IntRange(min=1), default=None, help="Days until the token expires.")
@click.pass_obj
def token(obj, login, name, expires_days):
    """Create an API token for a user and print it once."""
    import datetime as dt
    registry = obj.registry()
    with registry.env() as env:
        record = env["res.users"].search([("login", "=", login)])
        if not record:
            raise click.ClickException(f"No active user with login {login!r}")
        expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=expires_days) if expires_days else None
        secret = record.create_api_token(name, expires)
    click.echo(secret)
