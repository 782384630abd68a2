"""vaultkit: a personal CRM for professional relationships that lives in a plain-text vault."""

__version__ = "0.1.0"
