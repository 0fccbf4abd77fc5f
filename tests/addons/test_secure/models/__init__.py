from .secure import SecureDoc, SecureGrant, SecureLine, SecureTag

MODELS = [SecureTag, SecureDoc, SecureLine, SecureGrant]
