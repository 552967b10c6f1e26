"""The `consortium propose` contract: read an idea, propose, and write the consortium as JSON.

Shared by the management command and the benchmark; no database needed except to know which
organisations are cluster members (passed in).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from klaster.core.consortium.selection import Proposal


def proposal_as_json(proposal: Proposal) -> dict:
    """The out.json shape: partners (coordinator first), eligible, missing."""
    return {
        "partners": [
            {
                "organisation_id": p.candidate.organisation_id,
                "name": p.candidate.name,
                "country": p.candidate.country,
                "activity_type": p.candidate.activity_type,
                "sme": p.candidate.sme,
                "role": p.role,
                "reasons": [str(reason) for reason in p.reasons],
            }
            for p in proposal.partners
        ],
        "eligible": proposal.eligible,
        "missing": [str(item) for item in proposal.missing],
    }


def write_json_atomically(path: Path, data: dict) -> None:
    """Write aside and move into place, so a failed run leaves no partial file."""
    handle, partial = tempfile.mkstemp(prefix=".consortium-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
