package api

import (
	"context"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/b24org/b24org/lang"
)

// The CRM entity types of telephony.externalCall.searchCrmEntities.
const (
	CRMContact = "CONTACT"
	CRMCompany = "COMPANY"
	CRMLead    = "LEAD"
)

// CRMEntity is a CRM contact, company or lead found by a phone number, and
// its responsible employee, as telephony.externalCall.searchCrmEntities
// describes them (api-reference/telephony/
// telephony-external-call-search-crm-entities.md in bitrix24/b24restdocs).
// Strings have passed safetext.Clean.
type CRMEntity struct {
	Type string // one of the CRM constants, upper case
	ID   int
	Name string
	// Responsible is the employee responsible for the entity.
	Responsible Responsible
}

// Responsible is the responsible employee of a CRM entity as the answer
// carries it: the personal phone is not kept.
type Responsible struct {
	ID        int
	Workday   string // TIMEMAN_STATUS: a Workday constant, UNAVAILABLE or NOT_INSTALLED ("" when not said)
	Extension string // USER_PHONE_INNER
	WorkPhone string
	Mobile    string
}

// ErrBadPhoneNumber is returned for a phone number that cannot be asked about.
var ErrBadPhoneNumber error = lang.NewError("err.api.badphone")

// CRMByPhone returns the CRM entities whose phone is number, best first as
// the portal sorts them (telephony.externalCall.searchCrmEntities, one
// request). Without the telephony scope the error is a *ScopeError.
func (c *Client) CRMByPhone(ctx context.Context, number string) ([]CRMEntity, error) {
	number = strings.TrimSpace(number)
	if number == "" || len(number) > 32 || !strings.ContainsAny(number, "0123456789") ||
		strings.ContainsFunc(number, func(r rune) bool { return r < ' ' || r == 0x7f || r == utf8.RuneError }) {
		return nil, ErrBadPhoneNumber
	}
	resp, err := c.Call(ctx, "telephony.externalCall.searchCrmEntities", map[string]any{"PHONE_NUMBER": number})
	if err != nil {
		return nil, asScopeError(err)
	}
	return decodeCRM(resp.Result)
}

// rawCRM is the part of one found entity that CRMEntity keeps.
type rawCRM struct {
	Type       json.RawMessage `json:"CRM_ENTITY_TYPE"`
	ID         json.RawMessage `json:"CRM_ENTITY_ID"`
	Name       json.RawMessage `json:"NAME"`
	AssignedID json.RawMessage `json:"ASSIGNED_BY_ID"`
	Assigned   struct {
		ID        json.RawMessage `json:"ID"`
		Timeman   json.RawMessage `json:"TIMEMAN_STATUS"`
		Inner     json.RawMessage `json:"USER_PHONE_INNER"`
		WorkPhone json.RawMessage `json:"WORK_PHONE"`
		Mobile    json.RawMessage `json:"PERSONAL_MOBILE"`
	} `json:"ASSIGNED_BY"`
}

// decodeCRM reads the list of found entities; unreadable entries are skipped.
func decodeCRM(raw json.RawMessage) ([]CRMEntity, error) {
	list, err := decodeKeyed(raw)
	if err != nil {
		return nil, badShape("telephony.externalCall.searchCrmEntities", err)
	}
	out := make([]CRMEntity, 0, len(list))
	for _, item := range list {
		var rc rawCRM
		if json.Unmarshal(item.Value, &rc) != nil {
			continue
		}
		e := CRMEntity{
			Type: strings.ToUpper(flexString(rc.Type)),
			ID:   flexID(rc.ID),
			Name: flexString(rc.Name),
			Responsible: Responsible{
				ID:        flexID(rc.AssignedID),
				Workday:   strings.ToUpper(flexString(rc.Assigned.Timeman)),
				Extension: flexString(rc.Assigned.Inner),
				WorkPhone: flexString(rc.Assigned.WorkPhone),
				Mobile:    flexString(rc.Assigned.Mobile),
			},
		}
		if e.Responsible.ID == 0 {
			e.Responsible.ID = flexID(rc.Assigned.ID)
		}
		if e.ID == 0 && e.Name == "" {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}
