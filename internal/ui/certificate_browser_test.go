package ui_test

import (
	"testing"
)

// noOverflow fails when the page or a box on it is wider than the viewport
// (overflowJS, the layout test's check).
func (tb *tab) noOverflow(name string) {
	tb.t.Helper()
	var over []string
	if err := tb.page.MustEval(overflowJS).Unmarshal(&over); err != nil {
		tb.t.Fatal(err)
	}
	for _, o := range over {
		tb.t.Errorf("%s overflows: %s", name, o)
	}
}

// TestBrowserCertificate issues a certificate in a real browser without
// JavaScript on a 390 px phone, then opens its QR code's page: nothing
// overflows, and the statistics' charts fit too.
func TestBrowserCertificate(t *testing.T) {
	e := newEnv(t)
	maker, _ := withCertificates(t, e)
	person, reg, _ := registered(t, e)
	b := browser(t)
	c := e.tab(t, b, "kk", false)
	c.page.MustSetViewport(390, 844, 2, true)
	c.signIn(person.IIN)
	c.open("/account") // its tables are issue 18 item 3's
	c.submit("#certificate-" + reg.ID)
	c.mustSee("Анықтама берілді")
	c.page.MustElement("#certificate-pdf")
	c.noOverflow("the certificate page")
	c.shot("certificate-kk-390")

	v := e.tab(t, b, "ru", false)
	v.page.MustSetViewport(390, 844, 2, true)
	v.open("/verify/" + maker.codes[0])
	v.mustSee("Справка подлинная", "Регистрация действует сейчас")
	v.noOverflow("/verify")
	v.shot("verify-ru-390")
	v.open("/stats")
	v.noOverflow("/stats")
}
