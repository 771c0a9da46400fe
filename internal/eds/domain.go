package eds

import (
	"context"

	"tirkeu/internal/residence"
)

// VerifySignature verifies a detached CMS signature and reports its signer in
// the domain's terms, so a *Verifier is a residence.SignatureVerifier.
func (v *Verifier) VerifySignature(ctx context.Context, cms, content []byte) (residence.SignerInfo, error) {
	s, err := v.Verify(ctx, cms, content)
	if err != nil {
		return residence.SignerInfo{}, err
	}
	return residence.SignerInfo{IIN: s.IIN, BIN: s.BIN, Roles: s.Roles, SigningTime: s.Claimed, Digest: s.ID}, nil
}

var _ residence.SignatureVerifier = (*Verifier)(nil)
