package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/ui"
	"gopkg.in/yaml.v3"
)

// Defaults of the settings the config file can change.
const (
	defaultThreshold    = directory.DefaultThreshold
	defaultFreshness    = 10 * time.Minute
	defaultRequestLimit = 30 * time.Second
	maxConfigSize       = 1 << 20
)

// fileConfig is the YAML config file. Pointers tell "not set" from a zero value.
type fileConfig struct {
	Webhook         string              `yaml:"webhook"`
	OAuth           *fileOAuth          `yaml:"oauth"`
	Theme           string              `yaml:"theme"`
	Keys            map[string][]string `yaml:"keys"`
	OnlineThreshold *duration           `yaml:"online_threshold"`
	RefreshEvery    *duration           `yaml:"refresh_every"`
	Freshness       *duration           `yaml:"freshness"`
	PresenceAge     *duration           `yaml:"presence_age"`
	FullLoadEvery   *duration           `yaml:"full_load_every"`
	// IncludeOutsiders keeps extranet users, bots and users without a
	// department in what the portal's search finds.
	IncludeOutsiders *bool        `yaml:"include_outsiders"`
	BackgroundLoad   *bool        `yaml:"background_load"`
	Rate             *rateSetting `yaml:"rate"`
	CacheDir         string       `yaml:"cache_dir"`
	StateDir         string       `yaml:"state_dir"`
	Timeout          *duration    `yaml:"timeout"`
	Budget           *fileBudget  `yaml:"budget"`
	// Region reads phone numbers written without a country ("RU"); unset,
	// it is guessed from the portal's numbers.
	Region string `yaml:"region"`
	// Language is the interface's language (en or ru); unset, the locale
	// (LC_ALL, LC_MESSAGES, LANG) chooses it.
	Language string `yaml:"language"`
	// Links draws names, e-mails and phones as hyperlinks: auto, on or off.
	Links *linkSetting `yaml:"links"`
}

// linkSetting is the links setting of the file: auto, on or off.
type linkSetting struct{ mode ui.LinkMode }

// UnmarshalYAML accepts auto, on or off.
func (l *linkSetting) UnmarshalYAML(n *yaml.Node) error {
	m, err := ui.ParseLinkMode(n.Value)
	if n.Kind != yaml.ScalarNode || n.Value == "" || err != nil {
		return lineError(n.Line, lang.NewError("cli.config.links"))
	}
	l.mode = m
	return nil
}

// fileBudget is the budget section: how much of the portal's server time
// a whole-directory load may use (README, "What a load costs the portal").
type fileBudget struct {
	Share  *float64  `yaml:"share"`   // of each method's operating limit; default 0.5
	CutOff *duration `yaml:"cut_off"` // the portal's per-request cut-off; default 60s
	Limit  *duration `yaml:"limit"`   // a method's operating limit per window; default 480s
	Window *duration `yaml:"window"`  // default 10m
}

// costPolicy is the client's cost policy from the budget section.
func (b *fileBudget) costPolicy() (api.CostPolicy, error) {
	var p api.CostPolicy
	if b == nil {
		return p, nil
	}
	if b.Share != nil {
		if !(*b.Share > 0 && *b.Share <= 1) {
			return p, lang.NewError("cli.config.budget.share")
		}
		p.Share = *b.Share
	}
	p.CutOff, p.OperatingLimit, p.OperatingWindow = durationOr(b.CutOff, 0), durationOr(b.Limit, 0), durationOr(b.Window, 0)
	return p, nil
}

// fileOAuth is the oauth section of the config file.
type fileOAuth struct {
	PortalURL    string `yaml:"portal_url"`
	AccessToken  string `yaml:"access_token"`
	RefreshToken string `yaml:"refresh_token"`
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret"`
	TokenURL     string `yaml:"token_url"`
}

// duration is a positive time.Duration written like 15m or 90s.
type duration time.Duration

// UnmarshalYAML accepts a positive Go duration.
func (d *duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil || v <= 0 {
		return lineError(n.Line, lang.NewError("cli.config.duration"))
	}
	*d = duration(v)
	return nil
}

// rateSetting is the rate profile: "standard", "enterprise", or a mapping
// {per_second, burst}.
type rateSetting struct {
	profile api.RateProfile
}

// UnmarshalYAML accepts a profile name or a {per_second, burst} mapping.
func (r *rateSetting) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		p, err := rateByName(n.Value)
		if err != nil {
			return lineError(n.Line, err)
		}
		r.profile = p
		return nil
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			var err error
			switch k.Value {
			case "per_second":
				err = v.Decode(&r.profile.PerSecond)
			case "burst":
				err = v.Decode(&r.profile.Burst)
			default:
				return lineError(k.Line, lang.NewError("cli.config.rate.setting", "Name", strconv.Quote(k.Value)))
			}
			if err != nil {
				return lineError(v.Line, lang.NewError("cli.config.rate.number", "Name", k.Value))
			}
		}
		if r.profile.PerSecond <= 0 || r.profile.Burst < 1 {
			return lineError(n.Line, lang.NewError("cli.config.rate.needs"))
		}
		return nil
	}
	return lineError(n.Line, lang.NewError("cli.config.rate.must"))
}

// lineError is err at a line of the config file: "line 3: …".
func lineError(line int, err error) error {
	return lang.NewError("cli.config.line", "Line", line, "Err", err)
}

// rateByName returns the rate profile called name.
func rateByName(name string) (api.RateProfile, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "standard":
		return api.StandardRate(), nil
	case "enterprise":
		return api.EnterpriseRate(), nil
	}
	return api.RateProfile{}, lang.NewError("cli.rate.unknown", "Name", strconv.Quote(name))
}

// hasSecret reports whether the file holds a webhook code, a token or a secret.
func (f *fileConfig) hasSecret() bool {
	if f.Webhook != "" {
		return true
	}
	o := f.OAuth
	return o != nil && (o.AccessToken != "" || o.RefreshToken != "" || o.ClientSecret != "")
}

// readConfig reads and strictly decodes the config file at path. A missing
// file is no error unless required; warn receives the permission warning,
// to be said once the language of the run is known. A file that does not
// decode is an error in the language its language: names, when it names
// one (speak is told it).
func readConfig(path string, required bool, warn func(*lang.Error), speak func(*lang.Language)) (*fileConfig, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return &fileConfig{}, nil
	}
	if err != nil {
		return nil, lang.NewError("cli.config.read", "Err", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, lang.NewError("cli.config.read", "Err", err)
	}
	if st.IsDir() {
		return nil, lang.NewError("cli.config.dir", "Path", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, lang.NewError("cli.config.read", "Err", err)
	}
	if len(data) > maxConfigSize {
		return nil, lang.NewError("cli.config.large", "Path", path)
	}
	cfg, err := parseConfig(data)
	if err != nil {
		var named struct {
			Language string `yaml:"language"`
		}
		if yaml.Unmarshal(data, &named) == nil {
			if l, err := lang.Parse(named.Language); err == nil {
				speak(l)
			}
		}
		return nil, lang.NewError("cli.config.file", "Path", path, "Err", err)
	}
	if cfg.hasSecret() && st.Mode().Perm()&0o044 != 0 {
		warn(lang.NewError("cli.warn.perm", "Path", path))
	}
	return cfg, nil
}

// parseConfig strictly decodes a config file: unknown settings, key
// actions and themes are errors, and every error says the line. Every
// command reads the file through it, so a file one command rejects, all do.
func parseConfig(data []byte) (*fileConfig, error) {
	var cfg fileConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		var own *lang.Error // a setting's own check (UnmarshalYAML) says its line
		if errors.As(err, &own) {
			return nil, own
		}
		return nil, yamlMessage(err, data)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlMessage(err, data)
	}
	if len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
		if err := checkLook(doc.Content[0]); err != nil {
			return nil, err
		}
	}
	return &cfg, nil
}

// checkLook checks the theme and every keys entry of the file's top
// mapping, naming the line of the first one that is wrong.
func checkLook(top *yaml.Node) error {
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "theme":
			if _, err := themePalette(v.Value, false); err != nil {
				return lineError(v.Line, lang.NewError("cli.config.theme", "Err", err))
			}
		case "keys":
			for j := 0; j+1 < len(v.Content); j += 2 {
				name, list := v.Content[j], v.Content[j+1]
				var keys []string
				if err := list.Decode(&keys); err != nil {
					return lineError(list.Line, lang.NewError("cli.config.keys.list", "Name", name.Value))
				}
				probe := ui.DefaultKeyMap()
				if err := probe.Rebind(map[string][]string{name.Value: keys}); err != nil {
					return lineError(name.Line, lang.NewError("cli.config.keys", "Err", err))
				}
			}
		}
	}
	return nil
}

var (
	yamlQuoted    = regexp.MustCompile("`[^`]*` ")
	yamlUnknown   = regexp.MustCompile(`field (\S+) not found in type \S+`)
	yamlSetting   = regexp.MustCompile(`^unknown setting (\S+)$`)
	yamlLine      = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlCannot    = regexp.MustCompile(`^cannot unmarshal (!!\w+) (here|into string|into \[\]string|into bool|into int|into float64)$`)
	yamlGoTypeRef = regexp.MustCompile(`into (\[\])?(map\[string\]\[\]string|main\.\w+|\*main\.\w+)`)
)

// yamlMessage turns a yaml.v3 error on data into an error that says where,
// line by line, without echoing values (a misplaced token must not reach
// the terminal) or Go type names. Where yaml.v3 names the wrong line (an
// unclosed [ or {) or says nothing useful (a tab), the line is found in
// data. yaml.v3's common complaints are said in the reader's language; the
// rest keep yaml.v3's words.
func yamlMessage(err error, data []byte) error {
	var lines []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		lines = te.Errors
	} else {
		lines = []string{err.Error()}
	}
	var out errorList
	for _, l := range lines {
		l = strings.TrimPrefix(l, "yaml: ")
		l = yamlQuoted.ReplaceAllString(l, "")
		l = yamlUnknown.ReplaceAllString(l, "unknown setting $1")
		l = yamlGoTypeRef.ReplaceAllString(l, "here")
		line, rest := 1, l // yaml.v3 leaves the line out for the first line
		if m := yamlLine.FindStringSubmatch(l); m != nil {
			line, _ = strconv.Atoi(m[1])
			rest = m[2]
		}
		var says error
		if n, open := unclosedBracket(data); n > 0 && strings.Contains(rest, "did not find expected ',' or") {
			line, says = n, lang.NewError("cli.yaml.unclosed", "Bracket", string(open))
		} else if n := tabLine(data); n > 0 && (strings.Contains(rest, "tab") || strings.Contains(rest, "cannot start any token")) {
			line, says = n, lang.NewError("cli.yaml.tab")
		} else if m := yamlSetting.FindStringSubmatch(rest); m != nil {
			says = lang.NewError("cli.yaml.unknown", "Name", m[1])
		} else if m := yamlCannot.FindStringSubmatch(rest); m != nil {
			says = lang.NewError(yamlInto(m[2]), "Tag", m[1])
		} else if id := yamlSaying(rest); id != "" {
			says = lang.NewError(id)
		} else {
			says = errors.New(rest)
		}
		out = append(out, lineError(line, says))
	}
	if len(out) == 1 {
		return out[0]
	}
	return out
}

// yamlInto is the catalog's id of yaml.v3's "cannot unmarshal !!tag
// into", by what follows the tag.
func yamlInto(into string) string {
	switch into {
	case "into string":
		return "cli.yaml.into.string"
	case "into []string":
		return "cli.yaml.into.strings"
	case "into bool":
		return "cli.yaml.into.bool"
	case "into int", "into float64":
		return "cli.yaml.into." + strings.TrimPrefix(into, "into ")
	}
	return "cli.yaml.here"
}

// yamlSaying is the catalog's id of the yaml.v3 message text, or "".
func yamlSaying(text string) string {
	switch text {
	case "mapping values are not allowed in this context":
		return "cli.yaml.mapping"
	case "did not find expected key":
		return "cli.yaml.key"
	case "did not find expected '-' indicator":
		return "cli.yaml.block"
	case "did not find expected node content":
		return "cli.yaml.node"
	}
	return ""
}

// errorList is errors said one after another, "…; …", each in the
// reader's language.
type errorList []error

// Error is the English text.
func (e errorList) Error() string { return e.In(lang.English()) }

// In is the text in l.
func (e errorList) In(l *lang.Language) string {
	s := make([]string, len(e))
	for i, err := range e {
		s[i] = lang.Say(l, err)
	}
	return strings.Join(s, "; ")
}

// Unwrap returns the errors.
func (e errorList) Unwrap() []error { return e }

// unclosedBracket returns the line and the bracket of the last [ or { in
// data that is never closed (0 when all are), skipping quoted text and comments.
func unclosedBracket(data []byte) (int, byte) {
	type open struct {
		line int
		c    byte
	}
	var stack []open
	line, quote := 1, byte(0)
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			line++
			if quote == '#' {
				quote = 0
			}
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\n'):
			quote = '#' // a comment, to the end of the line
		case c == '[' || c == '{':
			stack = append(stack, open{line, c})
		case (c == ']' || c == '}') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) == 0 {
		return 0, 0
	}
	o := stack[len(stack)-1]
	return o.line, o.c
}

// tabLine returns the first line of data indented with a tab, or 0.
func tabLine(data []byte) int {
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l[:len(l)-len(strings.TrimLeft(l, " \t"))], "\t") {
			return i + 1
		}
	}
	return 0
}

// flagValues are the global flags as given; empty strings are "not given".
type flagValues struct {
	config      string
	webhook     string
	theme       string
	rate        string
	cacheDir    string
	noCache     bool
	refresh     bool
	demo        bool
	demoHostile bool
	timeout     time.Duration
	retries     int
	outsiders   bool
	links       string
	plain       bool
}

// settings is everything the commands need, after flags, env and file are merged.
type settings struct {
	client        api.Config
	hasPortal     bool
	portalSource  string // where the portal came from, for messages
	configPath    string
	theme         string
	noColor       bool
	links         ui.LinkMode // hyperlinks: decided per terminal (LinkMode.On)
	keys          map[string][]string
	threshold     time.Duration
	refreshEvery  time.Duration
	freshness     time.Duration
	presenceAge   time.Duration  // how old the presence of search results and find may be
	fullLoadEvery time.Duration  // how old a complete cache may be before a start loads everyone again
	outsiders     bool           // keep extranet users, bots and users without a department
	region        string         // phone numbers without a country are read in it; "" guesses
	language      *lang.Language // the config's language:, nil when unset
	background    bool
	cacheDir      string
	stateDir      string // favourites and recent lookups (ui/favourites.go)
	noCache       bool
	refresh       bool
	demo          bool
	demoHostile   bool
	demoCache     bool // the demo keeps a cache of its own (the browser's start)
}

// defaultConfigPath is $XDG_CONFIG_HOME/b24org/config.yaml, or ~/.config/b24org/config.yaml.
func defaultConfigPath(getenv func(string) string) string {
	return filepath.Join(xdgDir(getenv, "XDG_CONFIG_HOME", ".config"), "b24org", "config.yaml")
}

// defaultCacheDir is $XDG_CACHE_HOME/b24org, or ~/.cache/b24org.
func defaultCacheDir(getenv func(string) string) string {
	return filepath.Join(xdgDir(getenv, "XDG_CACHE_HOME", ".cache"), "b24org")
}

// defaultStateDir is $XDG_STATE_HOME/b24org, or ~/.local/state/b24org.
func defaultStateDir(getenv func(string) string) string {
	return filepath.Join(xdgDir(getenv, "XDG_STATE_HOME", filepath.Join(".local", "state")), "b24org")
}

// xdgDir returns the XDG directory named by env, or home/fallback.
func xdgDir(getenv func(string) string, env, fallback string) string {
	if d := getenv(env); filepath.IsAbs(d) {
		return d
	}
	home := getenv("HOME")
	if home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			home = h
		}
	}
	return filepath.Join(home, fallback)
}

// first returns the first non-empty string.
func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// resolve merges flags, environment and config file: flags beat env beat file.
// The layer that names a portal first decides whether it is a webhook or OAuth;
// the OAuth fields themselves come from env, else the file. warn is told
// the warnings in the language of the run: the config's language: once it
// is read, else the locale's.
func resolve(fl flagValues, getenv func(string) string, warn func(string)) (settings, error) {
	s := settings{
		configPath:  first(fl.config, defaultConfigPath(getenv)),
		noCache:     fl.noCache,
		refresh:     fl.refresh,
		demo:        fl.demo || fl.demoHostile,
		demoHostile: fl.demoHostile,
		noColor:     getenv("NO_COLOR") != "",
	}
	speaks := func() *lang.Language {
		if s.language != nil {
			return s.language
		}
		l, _ := lang.FromEnv(getenv)
		return l
	}
	// The file's warnings come before its language: is read: they wait
	// for it.
	var held []*lang.Error
	defer func() {
		for _, w := range held {
			warn(w.In(speaks()))
		}
	}()
	fc, err := readConfig(s.configPath, fl.config != "", func(w *lang.Error) { held = append(held, w) },
		func(l *lang.Language) { s.language = l })
	if err != nil {
		return s, err
	}
	// First the language, which the warnings and the errors below speak.
	if fc.Language != "" {
		l, err := lang.Parse(fc.Language)
		if err != nil {
			return s, lang.NewError("cli.config.language", "Path", s.configPath, "Value", strconv.Quote(fc.Language),
				"Valid", strings.Join(lang.Codes(), ", "), "Err", err) // Err: what it wraps, said by the text
		}
		s.language = l
	}

	fo := fc.OAuth
	if fo == nil {
		fo = &fileOAuth{}
	}
	envOAuth := getenv("B24_PORTAL_URL") != ""
	switch {
	case fl.webhook != "":
		s.client.WebhookURL, s.portalSource = fl.webhook, "--webhook"
	case getenv("B24_WEBHOOK_URL") != "":
		s.client.WebhookURL, s.portalSource = getenv("B24_WEBHOOK_URL"), "B24_WEBHOOK_URL"
	case envOAuth || (fc.Webhook == "" && fo.PortalURL != ""):
		s.portalSource = "B24_PORTAL_URL"
		if !envOAuth {
			s.portalSource = s.configPath
		}
		s.client.OAuth = &api.OAuthConfig{
			PortalURL:    first(getenv("B24_PORTAL_URL"), fo.PortalURL),
			AccessToken:  first(getenv("B24_ACCESS_TOKEN"), fo.AccessToken),
			RefreshToken: first(getenv("B24_REFRESH_TOKEN"), fo.RefreshToken),
			ClientID:     first(getenv("B24_CLIENT_ID"), fo.ClientID),
			ClientSecret: first(getenv("B24_CLIENT_SECRET"), fo.ClientSecret),
			TokenURL:     first(getenv("B24_OAUTH_URL"), fo.TokenURL),
		}
		if getenv("B24_ACCESS_TOKEN") == "" && getenv("B24_REFRESH_TOKEN") == "" && fo.RefreshToken != "" {
			s.client.OAuth.OnRefresh = tokenSaver(s.configPath, func(w *lang.Error) { warn(w.In(speaks())) })
		}
	case fc.Webhook != "":
		s.client.WebhookURL, s.portalSource = fc.Webhook, s.configPath
	}
	s.hasPortal = s.portalSource != ""

	s.client.Rate = api.StandardRate()
	if fc.Rate != nil {
		s.client.Rate = fc.Rate.profile
	}
	if fl.rate != "" {
		if s.client.Rate, err = rateByName(fl.rate); err != nil {
			return s, lang.NewError("cli.flag.rate", "Err", err)
		}
	}
	s.client.Timeout = durationOr(fc.Timeout, defaultRequestLimit)
	if fl.timeout != 0 {
		if fl.timeout < 0 {
			return s, lang.NewError("cli.flag.timeout")
		}
		s.client.Timeout = fl.timeout
	}
	switch {
	case fl.retries < 0:
		return s, lang.NewError("cli.flag.retries")
	case fl.retries == 0:
		s.client.MaxRetries = -1 // none
	default:
		s.client.MaxRetries = fl.retries
	}
	s.client.UserAgent = "b24org/" + version
	if s.client.Cost, err = fc.Budget.costPolicy(); err != nil {
		return s, lang.NewError("cli.config.at", "Path", s.configPath, "Err", err)
	}

	s.theme = first(fl.theme, fc.Theme, "auto")
	if _, err := themePalette(s.theme, false); err != nil {
		return s, lang.NewError("cli.flag.theme", "Err", err) // the file's theme was checked with its line
	}
	s.links = ui.LinksAuto
	if fc.Links != nil {
		s.links = fc.Links.mode
	}
	if fl.links != "" {
		if s.links, err = ui.ParseLinkMode(fl.links); err != nil {
			return s, lang.NewError("cli.flag.links", "Err", err)
		}
	}
	s.keys = fc.Keys
	s.threshold = durationOr(fc.OnlineThreshold, defaultThreshold)
	s.refreshEvery = durationOr(fc.RefreshEvery, 0)
	s.freshness = durationOr(fc.Freshness, defaultFreshness)
	s.presenceAge = durationOr(fc.PresenceAge, directory.DefaultPresenceAge)
	s.fullLoadEvery = durationOr(fc.FullLoadEvery, directory.DefaultFullLoadEvery)
	s.outsiders = fl.outsiders || (fc.IncludeOutsiders != nil && *fc.IncludeOutsiders)
	if fc.Region != "" {
		r, ok := directory.ValidRegion(fc.Region)
		if !ok {
			return s, lang.NewError("cli.config.region", "Path", s.configPath, "Region", strconv.Quote(fc.Region))
		}
		s.region = r
	}
	s.background = fc.BackgroundLoad == nil || *fc.BackgroundLoad
	s.cacheDir = first(fl.cacheDir, expandHome(fc.CacheDir, getenv), defaultCacheDir(getenv))
	s.stateDir = first(expandHome(fc.StateDir, getenv), defaultStateDir(getenv))
	return s, nil
}

// durationOr returns *d, or def when d is nil.
func durationOr(d *duration, def time.Duration) time.Duration {
	if d == nil {
		return def
	}
	return time.Duration(*d)
}

// expandHome replaces a leading ~/ with the home directory.
func expandHome(p string, getenv func(string) string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		return filepath.Join(first(getenv("HOME"), "/"), rest)
	}
	return p
}

// errNoPortal says how to configure a portal.
func errNoPortal(configPath string) error {
	return lang.NewError("cli.config.noportal", "Path", configPath)
}

// tokenSaver returns an OnRefresh callback that writes a refreshed OAuth pair
// back into the config file the old pair came from, so the next run can use
// it; warn is told when it cannot.
func tokenSaver(path string, warn func(*lang.Error)) func(access, refresh string) {
	var mu sync.Mutex
	return func(access, refresh string) {
		mu.Lock()
		defer mu.Unlock()
		if err := saveTokens(path, access, refresh); err != nil {
			warn(lang.NewError("cli.warn.tokens", "Path", path, "Err", err))
		}
	}
}

// saveTokens sets oauth.access_token and oauth.refresh_token in the YAML file
// at path, keeping the rest (comments included), written atomically with mode 0600.
func saveTokens(path, access, refresh string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return yamlMessage(err, data)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return lang.NewError("cli.tokens.notmapping")
	}
	oauth := mappingValue(doc.Content[0], "oauth")
	if oauth == nil || oauth.Kind != yaml.MappingNode {
		return lang.NewError("cli.tokens.nooauth")
	}
	setScalar(oauth, "access_token", access)
	setScalar(oauth, "refresh_token", refresh)
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.yaml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// mappingValue returns the value node of key in mapping m, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// setScalar sets key to the string value in mapping m, adding it when missing.
func setScalar(m *yaml.Node, key, value string) {
	if v := mappingValue(m, key); v != nil {
		*v = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
		return
	}
	m.Content = append(m.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value})
}
