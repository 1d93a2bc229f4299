"""ocfl-py's verdict on a whole OCFL storage root, as JSON on stdout.

Usage: python ocfl_py_root.py <storage-root>   (the Python of the venv scripts/referees.sh made)

`ocfl-validate.py <root>` prints nothing for a storage root, only its exit status, and
ocfl-py 2.1.0's StorageRoot.validate() has two blind spots, so this asks the library directly:
- it stops at the root structure when it does not implement the root's layout, reporting E071
  ("unknown layout") for 0004-hashed-n-tuple-storage-layout, a registered extension and Fedora's
  default: a limit of ocfl-py, not an error in the root. The objects are then never looked at,
  so this walks the hierarchy anyway (the same walk and object validator ocfl-py uses);
- its verdict counts only traversal errors, not invalid objects, so each object's own errors
  and warnings are reported here.
"""
import json
import sys

import ocfl
from ocfl.fsw import fsw_opendir_as_fs
from ocfl.storage_root import StorageRootException
from ocfl.validation_logger import ValidationLogger
from ocfl.validator import Validator


def split(codes):
    """ocfl-py keeps the last message per code; codes starting with E are errors."""
    return (
        [{"code": c, "message": m} for c, m in sorted(codes.items()) if c.startswith("E")],
        [{"code": c, "message": m} for c, m in sorted(codes.items()) if not c.startswith("E")],
    )


def main(path):
    store = ocfl.StorageRoot(root=path)
    valid = store.validate(log_warnings=True, check_digests=True)
    errors, warnings = split(store.log.codes)
    result = {
        "ocflPy": ocfl.__version__,
        "root": {"valid": bool(valid), "errors": errors, "warnings": warnings},
    }
    # The walk, whatever the root verdict was: traversal problems and every object's verdict.
    walker = ocfl.StorageRoot(root=path)
    walker.log = ValidationLogger(log_warnings=True)
    walker.open_root_fs()
    try:
        walker.check_root_structure()
    except StorageRootException:
        pass  # already reported above
    objects = []
    for dirpath in walker.object_paths():
        validator = Validator(check_digests=True, log_warnings=True)
        ok = validator.validate_object(fsw_opendir_as_fs(fs=walker.root_fs, path=dirpath))
        obj_errors, obj_warnings = split(validator.log.codes)
        objects.append({"path": dirpath, "valid": bool(ok), "errors": obj_errors, "warnings": obj_warnings})
    walk_errors, walk_warnings = split(walker.log.codes)
    result["hierarchy"] = {"errors": walk_errors, "warnings": walk_warnings, "objects": objects}
    json.dump(result, sys.stdout, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: ocfl_py_root.py <storage-root>")
    main(sys.argv[1])
