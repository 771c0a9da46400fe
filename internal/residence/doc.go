// Package residence is the domain of tirkeu: the people, premises and
// registrations of Kazakhstan's residence register, the rules that decide an
// application (each a pure function of a Snapshot, with its legal basis), and
// the Service use cases that apply them.
//
// The package imports only the standard library and internal/iin (the IIN
// and BIN check digit). Storage, signatures, SMS and HTTP are adapters in
// other packages that implement or call the interfaces declared here (Store,
// Tx, Clock, Sender-facing jobs).
package residence
