#!/usr/bin/env python3
"""Stage one edit of a shared registry file on top of HEAD's version, whatever else the working tree holds.

Several engineers edit the same registry files (one line each) in one working tree. `git add FILE` would
commit their uncommitted lines too, which may import files not committed yet and break main. This stages
exactly HEAD's content with OLD replaced by NEW (OLD must occur once in HEAD's version):

    python3 scripts/dev/stage-own-edit.py shared/src/domains.ts 'system: SystemDataSchema,' 'system: SystemDataSchema,\n  docker: DockerDataSchema,'

Backslash-n in OLD/NEW means a newline. Use it once per edit; then `git commit` (without -a).
"""
import subprocess
import sys
import tempfile

path, old, new = sys.argv[1], sys.argv[2].replace("\\n", "\n"), sys.argv[3].replace("\\n", "\n")
head = subprocess.run(["git", "show", f"HEAD:{path}"], capture_output=True, text=True, check=True).stdout
if head.count(old) != 1:
    sys.exit(f"{path}: the text to replace occurs {head.count(old)} times in HEAD's version, not once")
with tempfile.NamedTemporaryFile("w", delete=False) as tmp:
    tmp.write(head.replace(old, new))
blob = subprocess.run(["git", "hash-object", "-w", tmp.name], capture_output=True, text=True, check=True).stdout.strip()
subprocess.run(["git", "update-index", "--cacheinfo", f"100644,{blob},{path}"], check=True)
print(f"staged {path}: HEAD + your edit")
