"""The parts of a relationship's context and consent record, by stored key: plain data, so the command line can
name its options after them without loading the database layer."""

# Seed 001 §6: the circumstances that change how a boundary question is judged.
CONTEXT_FIELDS = {
    "emergency": "Emergency or urgent circumstances",
    "relationship_type": "Type of professional relationship",
    "existing_channels": "Existing communication channels and how well they work",
    "capacity_vulnerability": "Patient's capacity and vulnerability",
}
# Seed 001 §8: what a consent record for a sanctioned exception must show.
CONSENT_FIELDS = {
    "informed": "Informed: what the patient was told and understood",
    "voluntary": "Voluntary: how you made sure there was no pressure",
    "scope": "Scope: what the arrangement covers, and what it does not",
    "documented": "Documented: where and when it was recorded",
}
