"""Where the journal lives on disk: the encrypted SQLCipher file and its key file, backups, the data folder.

Below the services and above nothing of the app's own: `sqlcipher` connects to and verifies an encrypted
file, `storage` opens a journal (its `Journal` type is the one thing the window may name), `backups` writes
and restores verified copies, `keys` wraps the journal's key in its key file, `migrations` upgrade the schema
in place, and `files`, `journal_files`, `instance` and `paths` keep the data folder's files safe.
"""
