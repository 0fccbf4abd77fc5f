"""Views: the XML archs of a model (form, list, search, ...) and their extensions.

A primary view has no ``inherit_id``; an extension names the view it changes and holds
``<data>`` with xpath specs (see ``core.views.inherit``). ``get_view`` returns the primary
view of a model and type with every active extension applied — in addon dependency
order, then priority, then id — checked against the schema and the models, and cut to
what the current user may see. The combined arch is cached per transaction, the result
of ``get_view`` across transactions (``core.addons.shared_cache``).
"""
import copy
import heapq

import sqlalchemy as sa

from core.addons.shared_cache import shared
from core.addons.state import model_data
from core.orm import Model, api, fields
from core.views import VIEW_TYPES, ViewError, parse_arch
from core.views.check import check_arch
from core.views.defaults import default_arch
from core.views.inherit import apply_specs, origin_of, strip_origins
from core.views.schema import check_schema


class CombinedArchs:
    """The key of ``{(view id, addon): combined arch}`` in a transaction's cache."""

    model_name, name = "ir.ui.view", "combined_arch"


class View(Model):
    _name = "ir.ui.view"
    _inherit = ["ir.ui.cache.mixin"]
    _description = "View"
    _order = "model, type, priority, id"

    name = fields.Char("Name", required=True)
    model = fields.Char("Model", required=True, index=True)
    type = fields.Selection([(kind, kind.capitalize()) for kind in VIEW_TYPES], "View type", required=True)
    arch = fields.Text("Architecture", required=True, help="XML: a <form>, <list>, ... or, for an extension, "
                                                          "<data> holding <xpath> specs")
    inherit_id = fields.Many2one("ir.ui.view", "Extends", ondelete="cascade", index=True)
    inherit_children_ids = fields.One2many("ir.ui.view", "inherit_id", "Extensions")
    priority = fields.Integer("Priority", default=16, help="The primary view with the lowest priority is the "
                                                          "default; extensions of one addon apply lowest first")
    active = fields.Boolean("Active", default=True)
    addon = fields.Char("Addon", help="The addon that declared the view")
    source = fields.Char("Declared in", help="The data file and line of the declaration")

    # -- the per-transaction cache of combined archs (in the ORM cache: a rollback clears it) --
    def _arch_cache(self):
        return self.env.cache.store(CombinedArchs)

    def _forget_archs(self):
        self._arch_cache().clear()

    def create(self, vals_list):
        self._forget_archs()
        return super().create(vals_list)

    def write(self, vals):
        self._forget_archs()
        return super().write(vals)

    def unlink(self):
        self._forget_archs()
        return super().unlink()

    # -- public API -------------------------------------------------------------------
    def find_view(self, model, view_type):
        """The default primary view of ``model`` and ``view_type`` (empty when none is declared)."""
        return self.sudo().search([("model", "=", model), ("type", "=", view_type), ("inherit_id", "=", False),
                                   ("active", "=", True)], order="priority, id", limit=1)

    def get_view(self, model, view_type, view_id=None, for_user=None):
        """The arch (an lxml element, the caller's own copy) of a ``view_type`` view of ``model``;
        see ``_get_view``. ``for_user`` (an id): cut for that user even when the views are
        read as the system, as the web UI reads them. Kept, per user and language, in a
        cache shared by the requests of this process while no view, menu, action or access
        right changes."""
        viewer = for_user if for_user is not None else (None if self.env.su else self.env.uid)
        key = (model, view_type, view_id, viewer, self.env.lang)
        cache = shared(self.env, "views", "security")
        arch = cache.get(key)
        if arch is None:
            arch = cache[key] = self._get_view(model, view_type, view_id, viewer)
        return copy.deepcopy(arch)

    def _get_view(self, model, view_type, view_id=None, viewer=None):
        """The arch (an lxml element, the caller's own copy) of a ``view_type`` view of ``model``.

        ``view_id`` chooses a view (an extension stands for the view it extends); by default
        the primary view with the lowest priority, or a generated one when none is declared.
        Elements whose ``groups`` the user is in none of, and fields he may not read, are
        removed (not in superuser mode).
        """
        if model not in self.env.registry.models:
            raise ViewError(f"Unknown model {model!r} (is the addon that declares it installed?)")
        if view_type not in VIEW_TYPES:
            raise ViewError(f"Unknown view type {view_type!r} (known: {', '.join(VIEW_TYPES)})")
        if view_id:
            view = self.sudo().browse(int(view_id)).exists()
            if not view:
                raise ViewError(f"View {view_id} does not exist")
            view = view._root()
            if (view.model, view.type) != (model, view_type):
                raise ViewError(f"View {view_id} is a {view.type} view of {view.model}, not a {view_type} "
                                f"view of {model}")
        else:
            view = self.find_view(model, view_type)
        arch = copy.deepcopy(view._combined()) if view else default_arch(self.env.registry.models[model], view_type)
        return self._cut_for_user(model, arch, viewer)

    def combined_arch(self):
        """This view's primary view with its active extensions applied (a copy, not cut for a user)."""
        self.ensure_one()
        return copy.deepcopy(self.sudo()._combined())

    def check_all_views(self, upto=None):
        """Combine and check every active primary view (install and upgrade end with it)."""
        for view in self.sudo().search([("inherit_id", "=", False), ("active", "=", True)]):
            if view.model in self.env.registry.models:
                view._combined(upto)

    def label(self):
        return self._labels()[self.id]

    # -- combination ----------------------------------------------------------------------
    def _root(self):
        view, seen = self, set()
        while view.inherit_id:
            if view.id in seen:
                raise ViewError(f"{view.label()}: views extend each other in a circle")
            seen.add(view.id)
            view = view.inherit_id
        return view

    def _combined(self, upto=None):
        """The combined arch of this view's primary view, cached per transaction.

        ``upto`` (an addon name) applies only extensions of that addon and of the addons
        loaded before it: what exists while that addon's data is being loaded.
        """
        root = self._root()
        key = (root.id, upto)
        cache = root._arch_cache()
        if key not in cache:
            cache[key] = root._combine(upto)
        return cache[key]

    def _combine(self, upto):
        extensions = self._extensions(upto)
        labels = (self | self.browse(tuple(v.id for v in extensions)))._labels()
        try:
            arch = parse_arch(self.arch)
        except ViewError as exc:
            raise ViewError(f"{labels[self.id]}: {exc}") from None
        for position, view in enumerate(extensions):
            target = labels[self.id]
            if position:
                target += " as extended by " + ", ".join(labels[v.id] for v in extensions[:position])
            try:
                specs = parse_arch(view.arch)
            except ViewError as exc:
                raise ViewError(f"{labels[view.id]}: {exc}") from None
            arch = apply_specs(arch, specs, view.id, labels[view.id], target)
        check_arch(self.env, self.model, arch, lambda node: labels.get(origin_of(node) or self.id, labels[self.id]))
        strip_origins(arch)
        if extensions:
            check_schema(arch, labels[self.id] + " with " + ", ".join(labels[v.id] for v in extensions), lines=False)
        return arch

    def _extensions(self, upto=None):
        """Active views extending this one (directly or not), in the order they apply."""
        rank = {manifest.name: index for index, manifest in enumerate(self.env.registry.manifests)}
        limit = rank.get(upto) if upto else None
        candidates = self.sudo().search([("model", "=", self.model), ("inherit_id", "!=", False),
                                         ("active", "=", True)])
        children = {}
        for view in candidates:
            children.setdefault(view.inherit_id.id, []).append(view)

        def entry(view):
            return (rank.get(view.addon, len(rank)), view.priority or 0, view.id), view.id

        by_id = {view.id: view for view in candidates}
        heap = [entry(view) for view in children.get(self.id, ())]
        heapq.heapify(heap)
        ordered = []
        while heap:
            _key, view_id = heapq.heappop(heap)
            view = by_id[view_id]
            if limit is not None and rank.get(view.addon, -1) > limit:
                continue
            ordered.append(view)
            for child in children.get(view_id, ()):
                heapq.heappush(heap, entry(child))
        return ordered

    def _labels(self):
        """``{id: "view addon.name (file:line)"}``: how errors name views."""
        ids = list(self._ids)
        names = {res_id: f"{module}.{name}" for module, name, res_id in self.env.execute(
            sa.select(model_data.c.module, model_data.c.name, model_data.c.res_id)
            .where(model_data.c.model == self._name, model_data.c.res_id.in_(ids)))} if ids else {}
        labels = {}
        for view in self.sudo():
            label = f"view {names[view.id]}" if view.id in names else f"view {view.name!r} (id {view.id})"
            labels[view.id] = label + (f" ({view.source})" if view.source else "")
        return labels

    # -- what one user sees -------------------------------------------------------------
    def _cut_for_user(self, model, arch, viewer):
        """Remove the elements whose ``groups`` user ``viewer`` is in none of, and the fields
        he may not read (nothing is cut for the system: ``viewer`` None)."""
        if viewer is None:
            return arch
        system = self.env.sudo()
        env = system.with_user(viewer)
        user_groups = system["res.users"].browse(viewer).all_group_ids()
        allowed = {}

        def visible(node):
            names = [g.strip() for g in (node.get("groups") or "").split(",") if g.strip()]
            for xml_id in names:
                if xml_id not in allowed:
                    group = system.ref(xml_id, raise_if_not_found=False)
                    allowed[xml_id] = bool(group) and group.id in user_groups
            return not names or any(allowed[name] for name in names)

        checker = env.registry.access_checker

        def cut(model_cls, parent):
            for node in list(parent.iterchildren("*")):
                field = model_cls._fields.get(node.get("name")) if node.tag == "field" else None
                if not visible(node) or (field is not None and field.groups and checker is not None
                                         and not checker.field_allowed(env, field)):
                    parent.remove(node)
                elif field is not None and getattr(field, "comodel", None) and len(node):
                    cut(env.registry.models[field.comodel], node)
                else:
                    cut(model_cls, node)

        cut(env.registry.models[model], arch)
        return arch

    # -- checks of views changed outside data files -------------------------------------
    @api.constrains("arch", "model", "type", "inherit_id", "active")
    def _check_view(self):
        if self.env.context.get("loading_data"):
            return  # the data loader checks with file and line numbers
        for view in self.sudo():
            label = view.label()
            arch = parse_arch(view.arch)
            check_schema(arch, label)
            if view.inherit_id:
                root = view._root()
                if (view.model, view.type) != (root.model, root.type):
                    raise ViewError(f"{label}: an extension has the model and type of the view it extends")
            elif arch.tag != view.type:
                raise ViewError(f"{label}: a {view.type} view holds a <{view.type}>, not a <{arch.tag}>")
            if view.model not in self.env.registry.models:
                raise ViewError(f"{label}: unknown model {view.model!r}")
            view._root()._combine(None)
