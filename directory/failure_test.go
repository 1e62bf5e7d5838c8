package directory

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/lang"
	"github.com/stretchr/testify/assert"
)

func TestFailureOf(t *testing.T) {
	portal := &api.Error{Method: "department.get", Code: "INVALID_CREDENTIALS", Status: 401}
	f := FailureOf(lang.English(), fmt.Errorf("loading: %w", portal))
	assert.Equal(t, "loading: "+portal.Error(), f.Cause)
	assert.Equal(t, api.HintOf(portal), f.Fix, "the portal's hint is the fix")
	assert.NotEmpty(t, f.Fix)
	assert.Equal(t, "loading: "+portal.Error()+"; "+f.Fix, f.Line())

	said := fmt.Errorf("%w (%s)", portal, api.HintOf(portal))
	assert.Empty(t, FailureOf(lang.English(), said).Fix, "a cause that already says the fix does not say it twice")

	cfg := fmt.Errorf("%w: the webhook URL is missing; set B24_WEBHOOK", api.ErrConfig)
	assert.Equal(t, Failure{Cause: cfg.Error()}, FailureOf(lang.English(), cfg), "a configuration error says what to fix itself")

	assert.Equal(t, Failure{Cause: "interrupted"}, FailureOf(lang.English(), fmt.Errorf("load: %w", context.Canceled)))
	assert.Equal(t, "a b", FailureOf(lang.English(), errors.New("a\n\x1b[31mb")).Line(), "one clean line")
	assert.Equal(t, Failure{}, FailureOf(lang.English(), nil))
}

func TestRetryNote(t *testing.T) {
	ev := RetryEvent{Method: "user.get", Attempt: 2, Max: 7, Err: &api.Error{Code: "QUERY_LIMIT_EXCEEDED", Status: 503}}
	assert.Equal(t, "retrying (2/7) in 3s… (QUERY_LIMIT_EXCEEDED)", RetryNote(lang.English(), ev, 2500*time.Millisecond))
	assert.Equal(t, "retrying (2/7)… (QUERY_LIMIT_EXCEEDED)", RetryNote(lang.English(), ev, 0), "the attempt is under way")
	ev.Err = errors.New("plain")
	assert.Equal(t, "retrying (2/7)…", RetryNote(lang.English(), ev, -time.Second))
}
