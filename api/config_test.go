package api_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
)

const secretCode = "s3cr3tW3bh00kC0de"

func TestWebhookURLValidation(t *testing.T) {
	cases := []struct {
		name, url, want string
	}{
		{"blank", "   ", "empty"},
		{"not a URL", "https://[::1", "not a valid URL"},
		{"relative", "portal.example/rest/1/" + secretCode + "/", "absolute"},
		{"plain http", "http://portal.example/rest/1/" + secretCode + "/", "must use https"},
		{"other scheme", "ftp://portal.example/rest/1/" + secretCode + "/", "must use https"},
		{"no rest", "https://portal.example/api/1/" + secretCode + "/", "/rest/USER_ID/CODE/"},
		{"no code", "https://portal.example/rest/1/", "/rest/USER_ID/CODE/"},
		{"user not a number", "https://portal.example/rest/admin/" + secretCode + "/", "user ID must be a positive number"},
		{"user zero", "https://portal.example/rest/0/" + secretCode + "/", "user ID must be a positive number"},
		{"bad code", "https://portal.example/rest/1/" + secretCode + "%21/", "letters and digits"},
		{"method after code", "https://portal.example/rest/1/" + secretCode + "/profile.json", "remove the method name"},
		{"query", "https://portal.example/rest/1/" + secretCode + "/?x=1", "query"},
		{"user info", "https://bob:pw@portal.example/rest/1/" + secretCode + "/", "user name or password"},
		{"bad port", "https://portal.example:99999/rest/1/" + secretCode + "/", "port"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := api.New(api.Config{WebhookURL: tc.url})
			require.Error(t, err)
			assert.ErrorIs(t, err, api.ErrConfig)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), secretCode)
			assert.NotContains(t, err.Error(), "bob:pw")
		})
	}
}

func TestWebhookAccepted(t *testing.T) {
	for _, u := range []string{
		"https://portal.example/rest/1/" + secretCode + "/",
		"https://portal.example/rest/1/" + secretCode,
		"  https://Portal.Example/rest/17/" + secretCode + "/  ",
		"http://127.0.0.1:8080/rest/1/" + secretCode + "/",
		"http://127.5.0.1/rest/1/" + secretCode + "/",
		"http://[::1]:8080/rest/1/" + secretCode + "/",
		"http://localhost:8080/rest/1/" + secretCode + "/",
	} {
		c, err := api.New(api.Config{WebhookURL: u})
		require.NoError(t, err, "url %d", len(u))
		assert.NotContains(t, c.Portal(), secretCode)
		assert.Contains(t, c.Portal(), "/rest/")
		assert.Contains(t, c.Portal(), "/••••/")
	}
	c, err := api.New(api.Config{WebhookURL: "https://portal.example/rest/1/" + secretCode + "/"})
	require.NoError(t, err)
	assert.Equal(t, "https://portal.example/rest/1/••••/", c.Portal())
	assert.Equal(t, "portal.example", c.Host())
}

func TestNothingPrintsTheSecrets(t *testing.T) {
	cfg := api.Config{WebhookURL: "https://portal.example/rest/1/" + secretCode + "/"}
	c, err := api.New(cfg)
	require.NoError(t, err)
	oauth := &api.OAuthConfig{PortalURL: "https://portal.example/", AccessToken: "acc3ssT0ken", RefreshToken: "refr3shT0ken", ClientID: "local.1", ClientSecret: "cl1entS3cret"}
	for _, s := range []string{
		fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%v", &cfg),
		fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c),
		fmt.Sprint(oauth), fmt.Sprintf("%+v", *oauth), fmt.Sprintf("%#v", oauth), fmt.Sprint(api.Config{OAuth: oauth}),
		c.Redact("token " + secretCode + " leaked"),
	} {
		for _, secret := range []string{secretCode, "acc3ssT0ken", "refr3shT0ken", "cl1entS3cret"} {
			assert.NotContains(t, s, secret)
		}
	}
	assert.Equal(t, "token •••• leaked", c.Redact("token "+secretCode+" leaked"))
}

func TestOAuthConfigValidation(t *testing.T) {
	good := func() *api.OAuthConfig {
		return &api.OAuthConfig{PortalURL: "https://portal.example/", AccessToken: "a1234", RefreshToken: "r1234", ClientID: "local.1", ClientSecret: "s1234"}
	}
	c, err := api.New(api.Config{OAuth: good()})
	require.NoError(t, err)
	assert.Equal(t, "https://portal.example/", c.Portal())

	o := good()
	o.PortalURL = "https://portal.example/rest/"
	_, err = api.New(api.Config{OAuth: o})
	require.NoError(t, err, "the client_endpoint form is accepted")

	for _, tc := range []struct {
		name string
		edit func(*api.OAuthConfig)
		want string
	}{
		{"http portal", func(o *api.OAuthConfig) { o.PortalURL = "http://portal.example/" }, "must use https"},
		{"portal path", func(o *api.OAuthConfig) { o.PortalURL = "https://portal.example/crm/" }, "just the address"},
		{"no access token", func(o *api.OAuthConfig) { o.AccessToken = "" }, "access token is empty"},
		{"no refresh token", func(o *api.OAuthConfig) { o.RefreshToken = " " }, "refresh token is empty"},
		{"no client id", func(o *api.OAuthConfig) { o.ClientID = "" }, "client ID is empty"},
		{"no client secret", func(o *api.OAuthConfig) { o.ClientSecret = "" }, "client secret is empty"},
		{"http token URL", func(o *api.OAuthConfig) { o.TokenURL = "http://oauth.example/oauth/token/" }, "must use https"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := good()
			tc.edit(o)
			_, err := api.New(api.Config{OAuth: o})
			require.ErrorIs(t, err, api.ErrConfig)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "s1234")
		})
	}

	_, err = api.New(api.Config{})
	assert.ErrorContains(t, err, "no portal")
	_, err = api.New(api.Config{WebhookURL: "https://portal.example/rest/1/" + secretCode + "/", OAuth: good()})
	assert.ErrorContains(t, err, "not both")
}

func TestConfigLimitsValidation(t *testing.T) {
	u := "https://portal.example/rest/1/" + secretCode + "/"
	_, err := api.New(api.Config{WebhookURL: u, Rate: api.RateProfile{PerSecond: -1, Burst: 5}})
	assert.ErrorIs(t, err, api.ErrConfig)
	_, err = api.New(api.Config{WebhookURL: u, Rate: api.RateProfile{PerSecond: 5}})
	assert.ErrorIs(t, err, api.ErrConfig)
	_, err = api.New(api.Config{WebhookURL: u, Timeout: -1})
	assert.ErrorIs(t, err, api.ErrConfig)
	_, err = api.New(api.Config{WebhookURL: u, Rate: api.EnterpriseRate()})
	assert.NoError(t, err)
}
