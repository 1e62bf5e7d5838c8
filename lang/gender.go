package lang

// Gendered is the catalog's id of the message id for a person of gender g
// as the portal gives it ("M", "F"): id.M or id.F, which the catalogs have
// for every message that takes a gender in a language (Russian: был,
// была); id alone, which says both (был(а)), when the portal does not
// say, or when the message takes no gender (the catalogs have no id.M).
func Gendered(id, g string) string {
	if g == "M" || g == "F" {
		if _, ok := english.msgs[id+"."+g]; ok {
			return id + "." + g
		}
	}
	return id
}
