## Screen definitions: data, installed beside the program.
screensdir = $(pkgdatadir)/screens
dist_screens_DATA = \
	screens/bulk_reset.screen \
	screens/bulk_reset_done.screen \
	screens/colours.screen \
	screens/forgot_id.screen \
	screens/forgot_id_sent.screen \
	screens/forgot_pw.screen \
	screens/forgot_pw_done.screen \
	screens/forgot_pw_key.screen \
	screens/forgot_pw_have_key.screen \
	screens/home.screen \
	screens/language.screen \
	screens/login.screen \
	screens/logout.screen \
	screens/mypage.screen \
	screens/mypage_bulk.screen \
	screens/mypage_bulk_sent.screen \
	screens/mypage_details_immigration.screen \
	screens/mypage_details_lgpos.screen \
	screens/mypage_details_oss.screen \
	screens/mypage_done.screen \
	screens/mypage_email.screen \
	screens/mypage_email_code.screen \
	screens/mypage_password.screen \
	screens/notice.screen \
	screens/notices.screen \
	screens/pw_change.screen \
	screens/pw_change_done.screen \
	screens/receipt.screen \
	screens/receipts.screen \
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
