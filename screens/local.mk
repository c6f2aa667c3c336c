## Screen definitions: data, installed beside the program.
screensdir = $(pkgdatadir)/screens
dist_screens_DATA = \
	screens/colours.screen \
	screens/home.screen \
	screens/language.screen \
	screens/login.screen \
	screens/logout.screen \
	screens/mypage.screen \
	screens/reg_code.screen \
	screens/reg_confirm_business.screen \
	screens/reg_confirm_immigration.screen \
	screens/reg_confirm_individual.screen \
	screens/reg_details_business.screen \
	screens/reg_details_immigration.screen \
	screens/reg_details_individual.screen \
	screens/reg_done.screen \
	screens/reg_email.screen \
	screens/reg_immigration.screen \
	screens/reg_lgpos.screen \
	screens/reg_terms.screen
