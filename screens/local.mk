## Screen definitions: data, installed beside the program.
screensdir = $(pkgdatadir)/screens
dist_screens_DATA = \
	screens/colours.screen \
	screens/home.screen \
	screens/language.screen \
	screens/login.screen \
	screens/logout.screen \
	screens/mypage.screen
