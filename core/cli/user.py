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
