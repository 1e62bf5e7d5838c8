package directory

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/lang"
)

// closedWebhook is a webhook URL on a loopback port nothing listens on.
func closedWebhook(t *testing.T) (url, addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr = ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr + "/rest/1/x/", addr
}

// quickClient is a client of webhook that retries at once, retries times.
func quickClient(t *testing.T, webhook string, retries int) *api.Client {
	t.Helper()
	c, err := api.New(api.Config{WebhookURL: webhook, MaxRetries: retries, RetryBase: time.Millisecond, MaxWait: 5 * time.Millisecond,
		Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	require.NoError(t, err)
	return c
}

func TestLoadFailureInRussian(t *testing.T) {
	webhook, addr := closedWebhook(t)
	d := New(quickClient(t, webhook, 6), Options{NoCache: true})
	_, err := d.LoadTree(context.Background())
	require.Error(t, err)

	url := "POST http://" + addr + "/rest/1/••••/department.get"
	f := FailureOf(lang.Russian(), err)
	assert.True(t, strings.HasPrefix(f.Cause, "загрузка дерева подразделений: department.get: "+url+": не удаётся связаться с порталом: dial tcp "+addr+": "), f.Cause)
	assert.True(t, strings.HasSuffix(f.Cause, ": connection refused (прекращено после 7 попыток)"), f.Cause)
	assert.Equal(t, "проверьте сеть и адрес портала, затем повторите", f.Fix)

	en := FailureOf(lang.English(), err)
	assert.True(t, strings.HasPrefix(en.Cause, "loading the department tree: department.get: "+url+": cannot reach the portal: dial tcp "), en.Cause)
	assert.True(t, strings.HasSuffix(en.Cause, ": connection refused (gave up after 7 attempts)"), en.Cause)
	assert.Equal(t, en.Cause, err.Error(), "Error stays English")
	assert.Equal(t, "check the network and the portal address, then retry", en.Fix)

	var te *api.TransportError
	assert.ErrorAs(t, err, &te, "errors.As still finds the transport error")
	var ne *net.OpError
	assert.ErrorAs(t, err, &ne, "and the operating system's")

	ev := RetryEvent{Method: "department.get", Attempt: 2, Max: 7, Err: err}
	assert.Equal(t, "повтор (2/7)… (не удаётся связаться с порталом)", RetryNote(lang.Russian(), ev, 0), "the status line says the reason in Russian")
	assert.Equal(t, "retrying (2/7)… (cannot reach the portal)", RetryNote(lang.English(), ev, 0))

	wrapped := fmt.Errorf("find: %w", err)
	assert.Equal(t, "find: "+f.Cause, lang.Say(lang.Russian(), wrapped), "said inside a plain wrapper")
}

func TestCountedFailuresInRussian(t *testing.T) {
	cause := errors.New("boom")
	for n, want := range map[int]string{
		1:  "загрузка 1 избранного: boom",
		2:  "загрузка 2 избранных: boom",
		5:  "загрузка 5 избранных: boom",
		21: "загрузка 21 избранного: boom",
	} {
		err := &countError{id: "err.dir.favourites", n: n, err: cause}
		assert.Equal(t, want, lang.Say(lang.Russian(), err))
		assert.ErrorIs(t, err, cause)
	}
	assert.Equal(t, "loading 1 favourite: boom", (&countError{id: "err.dir.favourites", n: 1, err: cause}).Error())
	assert.Equal(t, "loading 3 favourites: boom", (&countError{id: "err.dir.favourites", n: 3, err: cause}).Error())
	assert.Equal(t, "загрузка сотрудников 3 подразделений: boom", lang.Say(lang.Russian(), &countError{id: "err.dir.people.depts", n: 3, err: cause}))
	assert.Equal(t, "загрузка руководителей 21 подразделения: boom", lang.Say(lang.Russian(), &countError{id: "err.dir.heads.depts", n: 21, err: cause}))
}

func TestPeopleFailuresInRussian(t *testing.T) {
	fake := fakeportal.Generate(fakeportal.GenOptions{People: 60, Departments: 6, Seed: 5, Now: genNow})
	p, err := fakeportal.Start(fake, fakeportal.Options{Rate: -1})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	d := New(quickClient(t, p.WebhookURL(), -1), Options{NoCache: true})
	org, err := d.LoadTree(context.Background())
	require.NoError(t, err)
	p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fakeportal.FaultTruncated}})

	_, err = d.LoadPeople(context.Background(), []int{fake.Users[0].ID, fake.Users[1].ID, fake.Users[2].ID})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(lang.Say(lang.Russian(), err), "загрузка 3 избранных: batch: "), lang.Say(lang.Russian(), err))
	assert.True(t, strings.HasSuffix(lang.Say(lang.Russian(), err), ": ответ оборван (неполный JSON) (прекращено после 1 попытки)"), lang.Say(lang.Russian(), err))
	assert.True(t, strings.HasPrefix(err.Error(), "loading 3 favourites: batch: "), err.Error())

	root := org.Roots()[0]
	_, err = d.LoadSubtreeWithin(context.Background(), root, 0)
	require.Error(t, err)
	assert.Regexp(t, `^загрузка сотрудников \d+ подразделени(я|й): batch: POST http`, lang.Say(lang.Russian(), err))
	assert.Regexp(t, `^loading the people of \d+ departments: batch: POST http`, err.Error())

	_, err = d.LoadDepartment(context.Background(), root)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(lang.Say(lang.Russian(), err), fmt.Sprintf("загрузка сотрудников подразделения %d: ", root)), lang.Say(lang.Russian(), err))
	assert.True(t, strings.HasPrefix(err.Error(), fmt.Sprintf("loading the people of department %d: ", root)), err.Error())

	_, err = d.SearchRemote(context.Background(), "anna")
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(lang.Say(lang.Russian(), err), "поиск на портале: "), lang.Say(lang.Russian(), err))
}

func TestOwnRefusalsInRussian(t *testing.T) {
	d := New(nil, Options{})
	_, err := d.LoadTree(context.Background())
	require.ErrorIs(t, err, ErrNoClient)
	assert.Equal(t, "портал не настроен", FailureOf(lang.Russian(), err).Line())
	assert.Equal(t, "no portal configured", err.Error())

	assert.Equal(t, "закрепить можно не больше 500 человек; сначала открепите кого-нибудь", lang.Say(lang.Russian(), ErrTooManyPinned))
	assert.Equal(t, "at most 500 people can be pinned; unpin someone first", ErrTooManyPinned.Error())
	assert.ErrorIs(t, fmt.Errorf("pin: %w", ErrTooManyPinned), ErrTooManyPinned)
}

// vocabularyOK are the Latin words a Russian failure may hold that are not
// the program's English: names of formats and protocols, the webhook's
// shape, the values the portal's envelope is read for, the portal's batch
// method, and Go's and the operating system's words about a connection.
var vocabularyOK = map[string]bool{
	"HTTP": true, "HTTPS": true, "JSON": true, "HTML": true, "REST": true, "API": true, "CRM": true, "OAuth": true, "ID": true,
	"https": true, "http": true, "PORTAL": true, "USER_ID": true, "CODE": true, "result": true, "error": true, "client": true, "secret": true,
	"batch": true, // the portal's method
	"dial":  true, "tcp": true, "connect": true, "connection": true, "refused": true, "context": true, "deadline": true, "exceeded": true,
}

var (
	urlText    = regexp.MustCompile(`https?://[^\s:]+(:\d+)?[^\s:]*`)
	methodName = regexp.MustCompile(`\b[a-z]+(\.[a-zA-Z]+)+\b|\boauth/token\b`)
	codeName   = regexp.MustCompile(`\b[A-Z][A-Z0-9_]{2,}\b`)
	latinWord  = regexp.MustCompile(`[A-Za-z_]+`)
)

// leftoverEnglish lists the Latin words of a Russian text that are the
// program's own English: what is left once the URLs, the method names, the
// portal's codes and descriptions and the causes from outside (verbatim)
// are taken out.
func leftoverEnglish(text string, verbatim []string) []string {
	for _, v := range verbatim {
		if v != "" {
			text = strings.ReplaceAll(text, v, " ")
		}
	}
	text = urlText.ReplaceAllString(text, " ")
	text = methodName.ReplaceAllString(text, " ")
	text = codeName.ReplaceAllString(text, " ")
	var out []string
	for _, w := range latinWord.FindAllString(text, -1) {
		if !vocabularyOK[w] {
			out = append(out, w)
		}
	}
	return out
}

// verbatimParts are the texts within err that are not the program's: the
// portal's descriptions.
func verbatimParts(err error) []string {
	var out []string
	var pe *api.Error
	if errors.As(err, &pe) {
		out = append(out, pe.Description)
	}
	return out
}

func TestNoEnglishLeftInRussianFailures(t *testing.T) {
	var failures []error
	add := func(err error) {
		t.Helper()
		require.Error(t, err)
		failures = append(failures, err)
	}

	webhook, _ := closedWebhook(t)
	unreachable := New(quickClient(t, webhook, 1), Options{NoCache: true})
	_, err := unreachable.LoadTree(context.Background())
	add(err)
	_, err = unreachable.LoadAll(context.Background(), nil)
	add(err)
	_, err = unreachable.SearchRemote(context.Background(), "anna")
	add(err)
	_, err = unreachable.Callers(context.Background(), "+7 495 123-45-67", time.Minute)
	add(err)
	_, err = unreachable.RefreshPresence(context.Background(), 0, time.Minute)
	add(err)

	fake := fakeportal.Generate(fakeportal.GenOptions{People: 40, Departments: 4, Seed: 5, Now: genNow})
	p, err := fakeportal.Start(fake, fakeportal.Options{Rate: -1, WebhookCode: "rightcode123456"})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	wrong := New(quickClient(t, strings.Replace(p.WebhookURL(), "rightcode123456", "wrongcode654321", 1), -1), Options{NoCache: true})
	_, err = wrong.LoadTree(context.Background())
	add(err)

	d := New(quickClient(t, p.WebhookURL(), 1), Options{NoCache: true})
	_, err = d.LoadTree(context.Background())
	require.NoError(t, err)
	for _, fault := range []fakeportal.Fault{fakeportal.FaultHTML, fakeportal.FaultTruncated, fakeportal.FaultServerError, fakeportal.FaultQueryLimit, fakeportal.FaultDrop} {
		p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fault}})
		_, err = d.LoadPeople(context.Background(), []int{fake.Users[0].ID})
		add(err)
		_, err = d.LoadAll(context.Background(), nil)
		add(err)
	}

	for _, bad := range []string{"https://portal.example/rest/0/abc/", "ftp://portal.example/rest/1/abc/", "https://portal.example/rest/1/abc/?q=1", " "} {
		_, err := api.New(api.Config{WebhookURL: bad})
		add(fmt.Errorf("%w", err))
	}
	add(ErrNoClient)
	add(ErrTooManyPinned)
	add(api.ErrQueryTooShort)

	for _, err := range failures {
		line := FailureOf(lang.Russian(), err).Line()
		assert.Empty(t, leftoverEnglish(line, verbatimParts(err)), "English left in %q (English: %q)", line, err.Error())
		assert.NotEqual(t, err.Error(), line)
	}
}

func TestIgnoredCacheInRussian(t *testing.T) {
	dir := t.TempDir()
	data := smallData()
	w := cacheDir(dir, testPortal, &data)
	require.NoError(t, w.SaveCache())
	good := readOnlyFile(t, dir)
	path := w.CachePath()
	for name, raw := range badCaches(t, good) {
		require.NoError(t, os.WriteFile(path, raw, 0o600), name)
		_, err := cacheDir(dir, testPortal, nil).LoadCache()
		var ce *CacheError
		require.ErrorAs(t, err, &ce, name)
		said := lang.Say(lang.Russian(), err)
		assert.True(t, strings.HasPrefix(said, "файл кэша "+path+" "), "%s: %s", name, said)
		assert.True(t, strings.HasSuffix(said, "; он будет создан заново"), "%s: %s", name, said)
		assert.Empty(t, leftoverEnglish(said, []string{path, "b24org"}), "%s: %s", name, said)
		assert.True(t, strings.HasPrefix(err.Error(), "cache file "+path+" "), "English stays: %s", err.Error())
		assert.Equal(t, err.Error(), lang.Say(lang.English(), err))
	}
	assert.Equal(t, "файл кэша x в формате версии 3, а не 4; он будет создан заново",
		lang.Say(lang.Russian(), cacheError("x", lang.NewError("err.cache.version", "Have", 3, "Want", 4))))
	assert.Equal(t, "файл кэша x повреждён (неверное число); он будет создан заново",
		lang.Say(lang.Russian(), cacheError("x", corrupt("err.cache.number"))))
}
