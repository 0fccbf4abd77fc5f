"""The error types users and integrators see; each carries one readable message."""


class KesherError(Exception):
    """Base of every error Kesher raises on purpose (CLI prints it as one line)."""


class UserError(KesherError):
    """A business rule refused what the user asked."""


class ValidationError(UserError):
    """A value breaks a constraint; ``field`` names the field when there is one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class AccessError(KesherError):
    """The current user may not do this operation on this model or these records."""


class MissingError(UserError):
    """Records asked for do not exist (any more)."""


class ConcurrencyError(UserError):
    """Someone else changed the record since it was read, or the database kept refusing."""


class DomainError(UserError):
    """A domain is malformed or names an unknown field or operator."""


class LimitError(UserError):
    """A request asks for more than the configured limits allow."""


class AddonError(KesherError):
    """An addon cannot be found, loaded, installed, upgraded or uninstalled."""


class RegistryError(KesherError):
    """The model declarations of the installed addons do not compose."""


class ConfigError(KesherError):
    """The configuration is invalid."""
