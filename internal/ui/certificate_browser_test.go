package ui_test

import (
	"testing"
)

// overflowJS lists what sticks out to the right of the viewport (absolute
// elements such as screen-reader text excepted) and the page's widths.
const overflowJS = `() => {
	const w = document.documentElement.clientWidth;
	const bad = [];
	for (const el of document.querySelectorAll('body *')) {
		if (getComputedStyle(el).position === 'absolute') continue;
		const r = el.getBoundingClientRect();
		if (r.width > 0 && r.right > w + 1) bad.push(el.tagName + (el.id ? '#' + el.id : '') + ' ' + Math.round(r.right));
	}
	return {scroll: document.documentElement.scrollWidth, width: w, bad: bad.slice(0, 8)};
}`

// noOverflow fails when the page or a box on it is wider than the viewport.
func (tb *tab) noOverflow(name string) {
	tb.t.Helper()
	res := tb.page.MustEval(overflowJS)
	if res.Get("scroll").Int() > res.Get("width").Int() || len(res.Get("bad").Arr()) > 0 {
		tb.t.Errorf("%s overflows at %d px: scroll width %d, boxes %v", name, res.Get("width").Int(), res.Get("scroll").Int(), res.Get("bad").Arr())
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
