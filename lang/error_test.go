package lang

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestErrorSaysItselfInEachLanguage: an Error is English to logs and
// wrapping, and said in the reader's language by Say, with the errors
// among its values said in the same language and still found by
// errors.Is.
func TestErrorSaysItselfInEachLanguage(t *testing.T) {
	inner := NewError("fail.interrupted")
	e := NewError("fav.notsaved", "Why", inner)
	assert.Equal(t, "favourites are not saved: interrupted", e.Error())
	assert.Equal(t, "избранное не сохраняется: прервано", Say(Russian(), e))
	assert.Equal(t, e.Error(), Say(English(), e))
	assert.ErrorIs(t, e, inner)

	t.Run("wrapped by fmt", func(t *testing.T) {
		w := fmt.Errorf("cache: %w (retry later)", e)
		assert.Equal(t, "cache: избранное не сохраняется: прервано (retry later)", Say(Russian(), w))
		assert.Equal(t, w.Error(), Say(English(), w))
	})
	t.Run("wrapping a plain error", func(t *testing.T) {
		e := NewError("fav.notsaved", "Why", fs.ErrPermission)
		assert.Equal(t, "избранное не сохраняется: permission denied", Say(Russian(), e),
			"the system's own words stay as the system says them")
		assert.ErrorIs(t, e, fs.ErrPermission)
		var target *Error
		assert.True(t, errors.As(fmt.Errorf("x: %w", e), &target))
		assert.Equal(t, "fav.notsaved", target.ID())
	})
	t.Run("T says an error value in its language", func(t *testing.T) {
		assert.Equal(t, "избранное не сохраняется: прервано", Russian().T("fav.notsaved", "Why", inner))
	})
	t.Run("nil and plain errors", func(t *testing.T) {
		assert.Equal(t, "", Say(Russian(), nil))
		assert.Equal(t, "boom", Say(Russian(), errors.New("boom")))
	})
}
