package api_test

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/lang"
)

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func TestTransportFailureInRussian(t *testing.T) {
	addr := closedAddr(t)
	ru := lang.Russian()
	for _, tc := range []struct {
		retries  int
		ru, en   string
		attempts int
	}{
		{-1, "(прекращено после 1 попытки)", "(gave up after 1 attempt)", 1},
		{1, "(прекращено после 2 попыток)", "(gave up after 2 attempts)", 2},
		{4, "(прекращено после 5 попыток)", "(gave up after 5 attempts)", 5},
		{20, "(прекращено после 21 попытки)", "(gave up after 21 attempts)", 21},
	} {
		t.Run(fmt.Sprint(tc.attempts), func(t *testing.T) {
			c, err := api.New(fast(api.Config{WebhookURL: "http://" + addr + "/rest/1/" + secretCode + "/", MaxRetries: tc.retries}))
			require.NoError(t, err)
			_, err = c.Departments(ctx(t))
			require.Error(t, err)
			said := lang.Say(ru, err)
			url := "POST http://" + addr + "/rest/1/••••/department.get"
			assert.True(t, strings.HasPrefix(said, "department.get: "+url+": не удаётся связаться с порталом: "), said)
			assert.Contains(t, said, "connection refused", "the operating system's words stay its own")
			assert.True(t, strings.HasSuffix(said, " "+tc.ru), said)
			assert.NotContains(t, said, secretCode)

			en := err.Error()
			assert.True(t, strings.HasPrefix(en, "department.get: "+url+": cannot reach the portal: "), en)
			assert.True(t, strings.HasSuffix(en, " "+tc.en), en)
			assert.Equal(t, en, lang.Say(lang.English(), err))

			var te *api.TransportError
			require.ErrorAs(t, err, &te, "the transport error is still found")
			assert.Equal(t, "cannot reach the portal", te.Reason, "Reason stays English")
			assert.Equal(t, "не удаётся связаться с порталом", api.ShortReasonIn(ru, err))
			assert.Equal(t, "cannot reach the portal", api.ShortReason(err))
			assert.Equal(t, "проверьте сеть и адрес портала, затем повторите", api.HintIn(ru, err))
		})
	}
}

func TestFaultsInRussian(t *testing.T) {
	org := genOrg(20, 3)
	ru := lang.Russian()
	for _, tc := range []struct {
		fault  fakeportal.Fault
		ru, en string
	}{
		{fakeportal.FaultTruncated, ": ответ оборван (неполный JSON) (прекращено после 1 попытки)", ": the answer was cut short (truncated JSON) (gave up after 1 attempt)"},
		{fakeportal.FaultHTML, ": HTTP 502: ответ — HTML-страница, а не JSON (страница ошибки прокси или портала) (прекращено после 1 попытки)",
			": HTTP 502: the answer is an HTML page, not JSON (a proxy or portal error page) (gave up after 1 attempt)"},
		{fakeportal.FaultStall, ": нет ответа за 1 с: context deadline exceeded (прекращено после 1 попытки)", ": no answer within 1s: context deadline exceeded (gave up after 1 attempt)"},
	} {
		t.Run(tc.fault.String(), func(t *testing.T) {
			p := startPortal(t, org, fakeportal.Options{})
			p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{tc.fault}, Stall: 3 * time.Second})
			c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxRetries: -1, Timeout: time.Second}))
			require.NoError(t, err)
			_, err = c.Departments(ctx(t))
			require.Error(t, err)
			assert.True(t, strings.HasSuffix(lang.Say(ru, err), tc.ru), lang.Say(ru, err))
			assert.True(t, strings.HasSuffix(err.Error(), tc.en), err.Error())
		})
	}
}

func TestPortalErrorInRussianKeepsTheCode(t *testing.T) {
	p := startPortal(t, genOrg(20, 3), fakeportal.Options{})
	p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fakeportal.FaultServerError}})
	c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxRetries: 1}))
	require.NoError(t, err)
	_, err = c.Departments(ctx(t))
	var pe *api.Error
	require.ErrorAs(t, err, &pe)
	require.NotEmpty(t, pe.Description)
	assert.Equal(t, pe.Error()+" (прекращено после 2 попыток)", lang.Say(lang.Russian(), err),
		"the method, code and description are the portal's")
	assert.Equal(t, "department.get: INTERNAL_SERVER_ERROR: "+pe.Description, pe.In(lang.Russian()))

	bare := &api.Error{Method: "user.get"}
	assert.Equal(t, "user.get: ошибка без кода", bare.In(lang.Russian()))
	assert.Equal(t, "user.get: error without a code", bare.Error())
	status := &api.Error{Method: "user.get", Status: 500, Description: "Internal error"}
	assert.Equal(t, "user.get: HTTP 500: Internal error", status.In(lang.Russian()))

	scope := &api.ScopeError{Scope: "telephony", Err: &api.Error{Method: "telephony.externalCall.searchCrmEntities", Code: "insufficient_scope", Status: 401}}
	assert.Equal(t, "у вебхука или приложения нет права telephony: telephony.externalCall.searchCrmEntities: insufficient_scope", lang.Say(lang.Russian(), scope))
	assert.Equal(t, "the webhook or application lacks the telephony scope: telephony.externalCall.searchCrmEntities: insufficient_scope", scope.Error())
	wrapped := fmt.Errorf("caller: %w", scope)
	assert.Equal(t, "caller: у вебхука или приложения нет права telephony: telephony.externalCall.searchCrmEntities: insufficient_scope",
		lang.Say(lang.Russian(), wrapped), "found inside a plain wrapper")
}

func TestConfigErrorsInRussian(t *testing.T) {
	ru := lang.Russian()
	for _, tc := range []struct {
		cfg    api.Config
		ru, en string
	}{
		{api.Config{WebhookURL: "https://portal.example/rest/admin/" + secretCode + "/"},
			"неверные настройки: ID пользователя в адресе вебхука должен быть положительным числом (ожидается https://PORTAL/rest/USER_ID/CODE/)",
			"invalid configuration: the webhook URL's user ID must be a positive number (expected https://PORTAL/rest/USER_ID/CODE/)"},
		{api.Config{WebhookURL: "http://portal.example/rest/1/" + secretCode + "/"},
			"неверные настройки: адрес вебхука должен использовать https (простой http допустим только для локальных адресов)",
			"invalid configuration: the webhook URL must use https (plain http is allowed only for loopback hosts)"},
		{api.Config{WebhookURL: "https://portal.example/rest/1/" + secretCode + "/profile.json"},
			"неверные настройки: адрес вебхука должен заканчиваться кодом (ожидается https://PORTAL/rest/USER_ID/CODE/); уберите имя метода после него",
			"invalid configuration: the webhook URL must end after the code (expected https://PORTAL/rest/USER_ID/CODE/); remove the method name after it"},
		{api.Config{},
			"неверные настройки: портал не задан: укажите адрес вебхука (https://PORTAL/rest/USER_ID/CODE/) или OAuth",
			"invalid configuration: no portal: set a webhook URL (https://PORTAL/rest/USER_ID/CODE/) or OAuth"},
		{api.Config{OAuth: &api.OAuthConfig{PortalURL: " "}},
			"неверные настройки: адрес портала не указан", "invalid configuration: the portal URL is empty"},
		{api.Config{OAuth: &api.OAuthConfig{PortalURL: "https://portal.example/", AccessToken: "a b", RefreshToken: "r", ClientID: "c", ClientSecret: "s"}},
			"неверные настройки: в значении OAuth «токен доступа» есть пробелы", "invalid configuration: the OAuth access token contains white space"},
		{api.Config{OAuth: &api.OAuthConfig{PortalURL: "https://portal.example/", AccessToken: "a", RefreshToken: "r", ClientID: "c", ClientSecret: "s", TokenURL: "ftp://oauth.example/"}},
			"неверные настройки: адрес получения токенов OAuth должен использовать https", "invalid configuration: the OAuth token URL must use https"},
	} {
		_, err := api.New(tc.cfg)
		require.Error(t, err)
		assert.ErrorIs(t, err, api.ErrConfig)
		assert.Equal(t, tc.ru, lang.Say(ru, err))
		assert.Equal(t, tc.en, err.Error())
		assert.NotContains(t, lang.Say(ru, err), secretCode)
	}
}

func TestClientRefusalsInRussian(t *testing.T) {
	c := webhookClient(t, startPortal(t, genOrg(20, 3), fakeportal.Options{}))
	ru := lang.Russian()
	_, err := c.SearchUsers(ctx(t), "a")
	require.ErrorIs(t, err, api.ErrQueryTooShort)
	assert.Equal(t, "для поиска нужно хотя бы 2 символа", lang.Say(ru, err))
	assert.Equal(t, "the search needs at least 2 characters", err.Error())
	_, err = c.UsersByExtension(ctx(t), "")
	require.ErrorIs(t, err, api.ErrBadExtension)
	assert.Equal(t, "внутренний номер — от 1 до 32 печатных символов", lang.Say(ru, err))
	_, err = c.CRMByPhone(ctx(t), "no digits")
	require.ErrorIs(t, err, api.ErrBadPhoneNumber)
	assert.Equal(t, "в номере телефона нужны цифры (не больше 32 символов, без управляющих символов)", lang.Say(ru, err))
	assert.True(t, errors.Is(fmt.Errorf("x: %w", err), api.ErrBadPhoneNumber))
}

func TestRetryEventInRussian(t *testing.T) {
	p := startPortal(t, genOrg(20, 3), fakeportal.Options{})
	p.SetFaults(fakeportal.Faults{Rate: 1, Kinds: []fakeportal.Fault{fakeportal.FaultTruncated}})
	var log retryLog
	c, err := api.New(fast(api.Config{WebhookURL: p.WebhookURL(), MaxRetries: 1, OnRetry: log.add}))
	require.NoError(t, err)
	_, err = c.Departments(ctx(t))
	require.Error(t, err)
	events := log.all()
	require.Len(t, events, 1)
	ev := events[0]
	ev.Wait = 2300 * time.Millisecond
	assert.Equal(t, "department.get: повтор (2/2) через 3 с…", ev.In(lang.Russian()))
	assert.Equal(t, "department.get: retrying (2/2) in 3s…", ev.String())
	assert.Equal(t, "HTTP 200: ответ оборван (неполный JSON)", api.ShortReasonIn(lang.Russian(), ev.Err))
	assert.Equal(t, "HTTP 200: the answer was cut short (truncated JSON)", api.ShortReason(ev.Err))
	ev.Method = ""
	assert.Equal(t, "этот метод: повтор (2/2) через 3 с…", ev.In(lang.Russian()))
}
