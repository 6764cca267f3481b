#!/usr/bin/env bash
# The .NET runtime's settings of the box's service, one NAME=value a line: its Environment=DOTNET_* lines. make run,
# make bench-live and make profile-live run the firmware with exactly these.
sed -n 's/^Environment=\(DOTNET_[A-Za-z0-9_]*=.*\)$/\1/p' "$(dirname "$0")/systemd/virtcapture.service"
