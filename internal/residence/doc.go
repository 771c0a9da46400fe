// Package residence is the domain of tirkeu: the people, premises and
// registrations of Kazakhstan's residence register, the rules that decide an
// application (each a pure function of a Snapshot, with its legal basis), and
// the Service use cases that apply them. The views those use cases return
// are decided here too: which identifiers a reader sees (visibility.go),
// the public statistics computed from the store's rows (stats.go), the
// address picker's choices (address.go) and the persons one may apply for
// (reads.go); every read of personal data is written to the person's access
// log (accesslog.go).
//
// The package imports only the standard library and internal/iin (the IIN
// and BIN check digit). Storage, signatures, SMS and HTTP are adapters in
// other packages that implement or call the interfaces declared here
// (Store, Reader, Tx, Clock, SMSGateway, SignatureVerifier).
package residence
