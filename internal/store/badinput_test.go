package store_test

import (
	"context"
	"testing"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// TestBadBytesAreTheCallersMistake: keys with a NUL or invalid UTF-8 byte
// (from a path such as /api/v1/applications/%00) are refused as not found or
// invalid on both engines, never as an internal error.
func TestBadBytesAreTheCallersMistake(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st residence.Store) {
		ctx := context.Background()
		for _, key := range []string{"\x00", "1\x00", "\xff\xfe", "abc\x00def"} {
			err := st.View(ctx, func(r residence.Reader) error {
				if _, err := r.Application(ctx, key); err != nil {
					return err
				}
				return nil
			})
			if code := residence.ErrorCode(err); code != residence.ENotFound && code != residence.EInvalid {
				t.Errorf("Application(%q): code %q (%v)", key, code, err)
			}
			err = st.View(ctx, func(r residence.Reader) error {
				_, err := r.Premises(ctx, key)
				return err
			})
			if code := residence.ErrorCode(err); code != residence.ENotFound && code != residence.EInvalid {
				t.Errorf("Premises(%q): code %q (%v)", key, code, err)
			}
		}
	})
}
