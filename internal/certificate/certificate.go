// Package certificate renders and seals registration certificates
// ("адресная справка", residence.CertificateFacts): a one-page PDF in
// Kazakh and Russian with the person's name, IIN, address, the kind and
// period of the registration and the date of issue, and a QR code that
// opens the public /verify/{code} page. The service seals the PDF's bytes
// with a detached CMS signature by its key (eds.SignWith), which anyone can
// check with `tirkeu eds verify --roots ROOT.pem --signature F.p7s F.pdf`.
//
// The font is DejaVu Sans (assets/, with its licence), which has every
// letter of the Kazakh alphabet.
package certificate

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"tirkeu/internal/eds"
	"tirkeu/internal/residence"
)

//go:embed assets/DejaVuSans.ttf
var dejaVuSans []byte

// Seal is the service's signing key and its certificate chain.
type Seal struct {
	Key   crypto.Signer
	Cert  *x509.Certificate
	Chain []*x509.Certificate
}

// demoIssuerPrefix starts the names of the demo CA's certificates
// (eds.DemoCA): a seal issued by it is refused in production.
const demoIssuerPrefix = "tirkeu DEMO"

// IsDemo reports whether the seal was issued by the demo CA.
func (s Seal) IsDemo() bool {
	if strings.HasPrefix(s.Cert.Issuer.CommonName, demoIssuerPrefix) {
		return true
	}
	for _, c := range s.Chain {
		if strings.HasPrefix(c.Subject.CommonName, demoIssuerPrefix) {
			return true
		}
	}
	return false
}

// CertPEM returns the seal's certificate in PEM, for `tirkeu eds verify-cert`.
func (s Seal) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Cert.Raw})
}

// LoadSeal opens a PKCS#12 key store (TIRKEU_SEAL_KEY). In production
// (demoAllowed false) a key store issued by the demo CA is refused.
func LoadSeal(path, password string, demoAllowed bool) (Seal, error) {
	p12, err := os.ReadFile(path)
	if err != nil {
		return Seal{}, fmt.Errorf("certificate: seal key: %w", err)
	}
	ks, err := eds.OpenKeyStore(p12, password)
	if err != nil {
		return Seal{}, fmt.Errorf("certificate: seal key %s: %w", path, err)
	}
	s := Seal{Key: ks.Key, Cert: ks.Cert, Chain: ks.Chain}
	if !demoAllowed && s.IsDemo() {
		return Seal{}, errors.New("certificate: the seal key was issued by the demo CA; production needs the service's own key (TIRKEU_SEAL_KEY)")
	}
	return s, nil
}

// DemoSealSubject is the demo CA subject of the service's seal in demo
// mode: its key store is DEMO-CA-DIR/<IIN>.p12 (password eds.DemoPassword).
var DemoSealSubject = eds.DemoSubject{IIN: "000000000000", BIN: "990340000004", CommonName: "tirkeu DEMO SEAL (not for production)"}

// Maker implements residence.CertificateMaker.
type Maker struct {
	Seal Seal
	// BaseURL is the public address of the service, without a trailing
	// slash: the QR code opens BaseURL + "/verify/" + code.
	BaseURL string
}

// VerifyURL is the address the QR code of a certificate opens.
func (m *Maker) VerifyURL(code string) string {
	return strings.TrimRight(m.BaseURL, "/") + "/verify/" + code
}

// Make renders the certificate and seals the PDF's bytes.
func (m *Maker) Make(_ context.Context, f residence.CertificateFacts) ([]byte, []byte, error) {
	pdf, err := Render(f, m.VerifyURL(f.Code))
	if err != nil {
		return nil, nil, err
	}
	sig, err := eds.SignWith(m.Seal.Key, m.Seal.Cert, m.Seal.Chain, pdf, f.IssuedAt)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate: seal: %w", err)
	}
	return pdf, sig, nil
}

// kinds and statuses in Kazakh / Russian.
var (
	kindText = map[residence.Kind][2]string{
		residence.Permanent: {"Тұрақты", "Постоянная"},
		residence.Temporary: {"Уақытша", "Временная"},
	}
	statusText = map[residence.RegistrationStatus][2]string{
		residence.RegistrationActive: {"Қолданыста", "Действует"},
		residence.RegistrationEnded:  {"Тоқтатылған", "Прекращена"},
	}
)

func date(t time.Time) string { return t.Format("02.01.2006") }

// Render draws the certificate's one page: everything but the seal.
func Render(f residence.CertificateFacts, verifyURL string) ([]byte, error) {
	qr, err := qrcode.Encode(verifyURL, qrcode.Medium, 512)
	if err != nil {
		return nil, fmt.Errorf("certificate: QR code: %w", err)
	}
	issued := f.IssuedAt.In(residence.Almaty)
	doc := fpdf.New("P", "mm", "A4", "")
	doc.SetCreationDate(issued)
	doc.SetModificationDate(issued)
	doc.SetTitle("Мекенжай анықтамасы / Адресная справка", true)
	doc.SetAuthor("tirkeu", true)
	doc.SetLang("kk")
	doc.AddUTF8FontFromBytes("dejavu", "", dejaVuSans)
	doc.SetMargins(20, 20, 20)
	doc.SetAutoPageBreak(false, 15)
	doc.AddPage()

	doc.SetFont("dejavu", "", 17)
	doc.CellFormat(0, 9, "МЕКЕНЖАЙ АНЫҚТАМАСЫ", "", 1, "C", false, 0, "")
	doc.CellFormat(0, 9, "АДРЕСНАЯ СПРАВКА", "", 1, "C", false, 0, "")
	doc.SetFont("dejavu", "", 9)
	doc.CellFormat(0, 6, "Тұрғылықты жері бойынша тіркеу туралы / о регистрации по месту жительства", "", 1, "C", false, 0, "")
	doc.Ln(6)

	reg := f.Registration
	period := "с " + date(reg.Since) + " / " + date(reg.Since) + " бастап"
	if !reg.Until.IsZero() {
		period = date(reg.Since) + " – " + date(reg.Until)
	}
	status := statusText[reg.Status]
	statusLine := status[0] + " / " + status[1]
	if reg.Status == residence.RegistrationEnded && !reg.EndedOn.IsZero() {
		statusLine += " (" + date(reg.EndedOn) + ")"
	}
	kind := kindText[reg.Kind]
	rows := []struct{ kk, ru, value string }{
		{"Тегі, аты, әкесінің аты", "Фамилия, имя, отчество", f.Person.FullName()},
		{"ЖСН", "ИИН", f.Person.IIN},
		{"Мекенжайы", "Адрес", f.Premises.Address()},
		{"Тіркеу түрі", "Вид регистрации", kind[0] + " / " + kind[1]},
		{"Тіркеу мерзімі", "Период регистрации", period},
		{"Мәртебесі", "Статус", statusLine},
		{"Берілген күні", "Дата выдачи", issued.Format("02.01.2006 15:04")},
		{"Анықтама нөмірі", "Номер справки", f.ID},
	}
	for _, r := range rows {
		y := doc.GetY()
		doc.SetFont("dejavu", "", 9)
		doc.SetTextColor(80, 80, 80)
		doc.MultiCell(70, 5, r.kk+" /\n"+r.ru, "", "L", false)
		labelEnd := doc.GetY()
		doc.SetXY(92, y)
		doc.SetFont("dejavu", "", 11)
		doc.SetTextColor(0, 0, 0)
		doc.MultiCell(98, 6, r.value, "", "L", false)
		if end := doc.GetY(); end < labelEnd {
			doc.SetY(labelEnd)
		}
		doc.Ln(3)
		doc.SetDrawColor(200, 200, 200)
		doc.Line(20, doc.GetY()-1.5, 190, doc.GetY()-1.5)
	}

	y := doc.GetY() + 8
	doc.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qr))
	doc.ImageOptions("qr", 20, y, 45, 45, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, verifyURL)
	doc.SetXY(70, y)
	doc.SetFont("dejavu", "", 9)
	doc.MultiCell(120, 5, "Анықтаманың түпнұсқалығын және тіркеудің қолданыста екенін QR-код арқылы немесе мына мекенжайда тексеріңіз:\n"+
		"Подлинность справки и действие регистрации проверьте по QR-коду или по адресу:", "", "L", false)
	doc.SetX(70)
	doc.SetFont("dejavu", "", 8)
	doc.MultiCell(120, 5, verifyURL, "", "L", false)
	doc.SetX(70)
	doc.SetFont("dejavu", "", 9)
	doc.MultiCell(120, 5, "Анықтама қызметтің электрондық цифрлық қолтаңбасымен куәландырылған (CMS, .p7s).\n"+
		"Справка заверена электронной цифровой подписью сервиса (CMS, .p7s).", "", "L", false)

	if err := doc.Error(); err != nil {
		return nil, fmt.Errorf("certificate: render: %w", err)
	}
	var out bytes.Buffer
	if err := doc.Output(&out); err != nil {
		return nil, fmt.Errorf("certificate: render: %w", err)
	}
	return out.Bytes(), nil
}
