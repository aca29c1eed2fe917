"""Keys and signatures: who can vouch for a file in a folder that everyone can write.

`keys` (Ed25519 public keys, signing, the desk's own key), `supervisor` (a passphrase-protected
identity: Ed25519 for signing, age X25519 for decryption), `signing` (signed JSON records and the
office's `Keyring`), `settings` (the `[trust]` section of config.toml), `commands` (`kasuhara-timer
keys`). docs/guarantees.md says what each key guarantees.
"""
