"""The URL map of the web UI and the JSON API."""
from werkzeug.routing import Rule

from . import api_json, auth, data_io, formview, home, listview


def rules():
    get_post = ["GET", "POST"]
    return [
        Rule("/", endpoint=home.index),
        Rule("/web", endpoint=home.home),
        Rule("/web/login", endpoint=auth.login, methods=get_post),
        Rule("/web/logout", endpoint=auth.logout, methods=["POST"]),
        Rule("/web/preferences", endpoint=home.preferences, methods=get_post),
        Rule("/web/action/<int:action_id>", endpoint=home.action),
        Rule("/web/m/<model_name>", endpoint=listview.list_view),
        Rule("/web/m/<model_name>/new", endpoint=formview.new, methods=get_post),
        Rule("/web/m/<model_name>/bulk", endpoint=listview.bulk, methods=["POST"]),
        Rule("/web/m/<model_name>/kanban_move", endpoint=listview.kanban_move, methods=["POST"]),
        Rule("/web/m/<model_name>/export.<fmt>", endpoint=data_io.export),
        Rule("/web/m/<model_name>/import", endpoint=data_io.import_csv, methods=get_post),
        Rule("/web/m/<model_name>/<int:rid>", endpoint=formview.form, methods=get_post),
        Rule("/web/m/<model_name>/<int:rid>/delete", endpoint=formview.delete, methods=get_post),
        Rule("/web/m/<model_name>/<int:rid>/duplicate", endpoint=formview.duplicate, methods=["POST"]),
        Rule("/web/m/<model_name>/<int:rid>/call/<method>", endpoint=formview.call, methods=["POST"]),
        Rule("/web/name_search/<model_name>", endpoint=formview.name_search),
        Rule("/web/onchange/<model_name>", endpoint=formview.onchange, methods=["POST"]),
        Rule("/web/attachment/<int:rid>", endpoint=data_io.download),
    ] + api_json.rules()
