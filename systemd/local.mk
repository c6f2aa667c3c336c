## systemd units: the service, and the counter terminal's kiosk (kmscon
## on a virtual terminal).  Paths are filled in from configure's.
systemdsystemunitdir = @systemdsystemunitdir@
systemdsystemunit_DATA = systemd/madoguchid.service \
	systemd/madoguchi-kiosk@.service
EXTRA_DIST += systemd/madoguchid.service.in \
	systemd/madoguchi-kiosk@.service.in
CLEANFILES += $(systemdsystemunit_DATA)

unit_edit = sed -e 's|@bindir[@]|$(bindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@localstatedir[@]|$(localstatedir)|g' \
	-e 's|@docdir[@]|$(docdir)|g'

systemd/madoguchid.service: $(srcdir)/systemd/madoguchid.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) systemd && \
	$(unit_edit) $(srcdir)/systemd/madoguchid.service.in > $@.tmp && \
	mv $@.tmp $@
systemd/madoguchi-kiosk@.service: \
		$(srcdir)/systemd/madoguchi-kiosk@.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) systemd && \
	$(unit_edit) $(srcdir)/systemd/madoguchi-kiosk@.service.in > $@.tmp && \
	mv $@.tmp $@
