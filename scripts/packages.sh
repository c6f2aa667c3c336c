# Sourced by the scripts that install what they need (setup.sh,
# bench.sh, setup-packaging.sh).

# Print those of the Debian packages named that are not installed, each
# after a space (nothing when all are).
missing_packages() {
	for p in "$@"; do
		if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed'; then
			printf ' %s' "$p"
		fi
	done
}
