#!/bin/sh
# Show the mails in a madoguchid Maildir outbox as a mail program would:
# headers decoded, body as text, newest last.
# Usage: scripts/mail.sh DATA_DIR [ADDRESS]
set -eu
dir=${1:?usage: scripts/mail.sh DATA_DIR [ADDRESS]}
exec python3 - "$dir/outbox" "${2:-}" <<'PY'
import email, email.policy, glob, os, sys
outbox, who = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(outbox, "new", "*")) +
               glob.glob(os.path.join(outbox, "cur", "*")), key=os.path.getmtime)
shown = 0
for path in files:
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    if who and who not in str(msg["To"]):
        continue
    shown += 1
    print("=" * 72)
    for h in ("Date", "From", "To", "Subject"):
        print(f"{h}: {msg[h]}")
    print()
    print(msg.get_body(preferencelist=("plain",)).get_content().rstrip())
if not shown:
    print("no mail yet in " + outbox)
PY
