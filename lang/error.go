package lang

import "strings"

// Localized is an error that can say itself in a language: Error is its
// English text (what logs and wrapping keep), In its text in l.
type Localized interface {
	error
	In(l *Language) string
}

// Error is an error whose words are a catalog message: its Error is the
// English text, In the text in any language. The errors among its values
// are said in the same language, and are what it wraps (errors.Is and
// errors.As see them).
type Error struct {
	id string
	kv []any
}

// NewError returns the error said by the message id with its named values
// (pairs of a name and a value, as T takes them).
func NewError(id string, kv ...any) *Error { return &Error{id: id, kv: kv} }

// Error is the English text.
func (e *Error) Error() string { return e.In(english) }

// In is the text in l.
func (e *Error) In(l *Language) string { return l.T(e.id, e.kv...) }

// ID is the message id that says e.
func (e *Error) ID() string { return e.id }

// Unwrap returns the errors among e's values.
func (e *Error) Unwrap() []error {
	var out []error
	for i := 1; i < len(e.kv); i += 2 {
		if err, ok := e.kv[i].(error); ok {
			out = append(out, err)
		}
	}
	return out
}

// Say is err's text in l. An error that is Localized says itself; one that
// wraps Localized errors (fmt.Errorf with %w) keeps its own words and has
// the English text of each Localized error within it replaced by its text
// in l. Any other error is its Error text.
func Say(l *Language, err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(Localized); ok {
		return e.In(l)
	}
	s := err.Error()
	if l == english {
		return s
	}
	var walk func(err error)
	walk = func(err error) {
		if e, ok := err.(Localized); ok {
			if en := e.Error(); en != "" && strings.Contains(s, en) {
				s = strings.Replace(s, en, e.In(l), 1)
				return // its In said what it wraps
			}
		}
		switch w := err.(type) {
		case interface{ Unwrap() error }:
			if inner := w.Unwrap(); inner != nil {
				walk(inner)
			}
		case interface{ Unwrap() []error }:
			for _, inner := range w.Unwrap() {
				walk(inner)
			}
		}
	}
	walk(err)
	return s
}

// values is kv with each error value said in l.
func (l *Language) values(kv []any) []any {
	var out []any
	for i := 1; i < len(kv); i += 2 {
		if err, ok := kv[i].(error); ok {
			if out == nil {
				out = append([]any(nil), kv...)
			}
			out[i] = Say(l, err)
		}
	}
	if out == nil {
		return kv
	}
	return out
}
