package eds

import (
	"errors"

	"tirkeu/internal/residence"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func codeOfErr(err error) string { return residence.ErrorCode(err) }
