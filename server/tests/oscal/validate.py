"""Validates an OSCAL assessment-results document against the OSCAL models of
compliance-trestle. Exit status 0 when valid; otherwise the validation errors on stderr."""

import json
import sys

from pydantic import ValidationError
from trestle.oscal.assessment_results import AssessmentResults


def main(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    if set(document) != {"assessment-results"}:
        print(f"expected one root key, assessment-results; found {sorted(document)}", file=sys.stderr)
        return 1
    try:
        AssessmentResults.model_validate(document["assessment-results"])
    except ValidationError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
