"""``kesher serve``: gunicorn with N worker processes, or werkzeug's reloader with --dev."""
import click


def _application(config):
    from ..web.app import create_app
    return create_app(config)


@click.command()
@click.option("--host", default=None, help="Address to listen on (default from [web] host).")
@click.option("--port", type=int, default=None, help="Port (default from [web] port).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default from [web] workers).")
@click.option("--dev", is_flag=True, help="One process with werkzeug's reloader and debugger off.")
@click.pass_obj
def serve(obj, host, port, workers, dev):
    """Serve the web UI (/web) and the JSON API (/api/v1)."""
    web = obj.config.section("web")
    host, port = host or web["host"], port or web["port"]
    if dev:
        from werkzeug.serving import run_simple
        app = _application(obj.config)
        click.echo(f"Kesher (dev) on http://{host}:{port}/web")
        run_simple(host, port, app, use_reloader=True, use_debugger=False, threaded=True)
        return
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers or web["workers"])
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)

        def load(self):
            return _application(obj.config)

    _application(obj.config).registry.dispose()  # fail fast, in the parent, if the database is not ready
    click.echo(f"Kesher on http://{host}:{port}/web ({workers or web['workers']} workers)")
    Server().run()
