#!/usr/bin/python3
"""check.py NOTEBOOK.ipynb...: fail if an executed notebook shows an error.

nbconvert stops on a compile error, but a Go panic inside a GoNB cell only
prints to stderr. So every output is scanned: error outputs, and stderr lines
such as 'panic: …' or 'exit status 2'. Also checks each notebook file's size.
"""
import json
import os
import re
import sys

BAD = re.compile(r"^(exit status \d+|panic: )", re.M)
MAX_BYTES = 1 << 20

failed = False
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    for i, cell in enumerate(nb.get("cells", [])):
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                tb = "\n".join(out.get("traceback", []))[-2000:]
                print(f"{path}: cell {i}: error {out.get('ename')}: {out.get('evalue')}\n{tb}")
                failed = True
            elif kind == "stream" and out.get("name") == "stderr":
                text = "".join(out.get("text", ""))
                if BAD.search(text):
                    print(f"{path}: cell {i}: stderr:\n{text[-2000:]}")
                    failed = True
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        print(f"{path}: {size} bytes, over the 1 MB limit")
        failed = True
sys.exit(1 if failed else 0)
