package reference

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/fichacrm/ficha/validation"
)

// Validation rules of a bank reference.
var (
	ErrBankCode         = validation.NewRule("bank.code", "a bank code (COMPE) has 3 digits", "o código do banco (COMPE) tem 3 dígitos")
	ErrBranch           = validation.NewRule("bank.branch", "not a valid branch number for this bank", "número de agência inválido para este banco")
	ErrBranchCheckDigit = validation.NewRule("bank.branch_check_digit", "the branch check digit does not match", "o dígito verificador da agência não confere")
	ErrAccount          = validation.NewRule("bank.account", "not a valid account number for this bank", "número de conta inválido para este banco")
	ErrAccountDigit     = validation.NewRule("bank.account_check_digit", "the account check digit does not match", "o dígito verificador da conta não confere")
)

// Institution is a bank or payment institution as the Central Bank lists
// it: its 3-digit COMPE code, its 8-digit ISPB and its name.
type Institution struct {
	Code string // COMPE code, such as "001"
	ISPB string
	Name string
}

// Banks is a table of institutions by COMPE code. It is read-only once
// built and safe for concurrent use.
type Banks struct {
	byCode map[string]Institution
}

// Lookup returns the institution with the given COMPE code.
func (b *Banks) Lookup(code string) (Institution, bool) {
	i, ok := b.byCode[code]
	return i, ok
}

// Len returns the number of institutions in the table.
func (b *Banks) Len() int { return len(b.byCode) }

// major are the major banks, carmakers' finance banks included.
var major = []Institution{
	{"001", "00000000", "Banco do Brasil S.A."}, {"003", "04902979", "Banco da Amazônia S.A."},
	{"004", "07237373", "Banco do Nordeste do Brasil S.A."}, {"021", "28127603", "Banestes S.A. Banco do Estado do Espírito Santo"},
	{"033", "90400888", "Banco Santander (Brasil) S.A."}, {"041", "92702067", "Banco do Estado do Rio Grande do Sul S.A."},
	{"070", "00000208", "BRB - Banco de Brasília S.A."}, {"077", "00416968", "Banco Inter S.A."},
	{"084", "02398976", "Sisprime do Brasil - Cooperativa de Crédito"}, {"085", "05463212", "Cooperativa Central de Crédito - Ailos"},
	{"104", "00360305", "Caixa Econômica Federal"}, {"133", "10398952", "Cresol Confederação"},
	{"136", "00315557", "Unicred do Brasil"}, {"197", "16501555", "Stone Instituição de Pagamento S.A."},
	{"208", "30306294", "Banco BTG Pactual S.A."}, {"212", "92894922", "Banco Original S.A."},
	{"217", "91884981", "Banco John Deere S.A."}, {"237", "60746948", "Banco Bradesco S.A."},
	{"260", "18236120", "Nu Pagamentos S.A. - Instituição de Pagamento"}, {"290", "08561701", "PagSeguro Internet Instituição de Pagamento S.A."},
	{"318", "61186680", "Banco BMG S.A."}, {"323", "10573521", "Mercado Pago Instituição de Pagamento Ltda."},
	{"336", "31872495", "Banco C6 S.A."}, {"341", "60701190", "Itaú Unibanco S.A."},
	{"380", "22896431", "PicPay Instituição de Pagamento S.A."}, {"381", "60814191", "Banco Mercedes-Benz do Brasil S.A."},
	{"387", "03215790", "Banco Toyota do Brasil S.A."}, {"389", "17184037", "Banco Mercantil do Brasil S.A."},
	{"390", "59274605", "Banco GM S.A."}, {"393", "59109165", "Banco Volkswagen S.A."},
	{"399", "01701201", "Kirton Bank S.A. - Banco Múltiplo"}, {"403", "37880206", "Cora Sociedade de Crédito, Financiamento e Investimento S.A."},
	{"413", "01858774", "Banco BV S.A."}, {"422", "58160789", "Banco Safra S.A."},
	{"475", "10371492", "Banco Yamaha Motor do Brasil S.A."}, {"613", "60850229", "Omni Banco S.A."},
	{"623", "59285411", "Banco Pan S.A."}, {"655", "59588111", "Banco Votorantim S.A."},
	{"707", "62232889", "Banco Daycoval S.A."}, {"745", "33479023", "Banco Citibank S.A."},
	{"748", "01181521", "Banco Cooperativo Sicredi S.A."}, {"756", "02038232", "Banco Cooperativo Sicoob S.A. - Banco Sicoob"},
}

// MajorBanks returns a new table of the major Brazilian banks, the
// carmakers' finance banks among them. Hosts that want every institution
// load the Central Bank's list with [LoadBanks].
func MajorBanks() *Banks {
	b := &Banks{byCode: make(map[string]Institution, len(major))}
	for _, i := range major {
		b.byCode[i.Code] = i
	}
	return b
}

// ErrBankList is returned by [LoadBanks] for a file it cannot read as a
// list of institutions.
var ErrBankList = errors.New("reference: not a list of banks with code, ISPB and name columns")

// LoadBanks reads a CSV list of institutions: the Central Bank's
// participants file (ParticipantesSTR.csv, with columns ISPB,
// Nome_Reduzido, Número_Código, ..., Nome_Extenso) or any CSV with columns
// named like code/compe, ispb and name. Rows without a numeric COMPE code
// ("n/a") are skipped. A UTF-8 byte-order mark is allowed.
func LoadBanks(r io.Reader) (*Banks, error) {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, ErrBankList
	}
	codeCol, ispbCol, nameCol, shortCol := -1, -1, -1, -1
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "ispb":
			ispbCol = i
		case h == "compe" || h == "code" || strings.HasPrefix(h, "número_código") || strings.HasPrefix(h, "numero_codigo"):
			codeCol = i
		case h == "name" || h == "nome_extenso":
			nameCol = i
		case h == "nome_reduzido":
			shortCol = i
		}
	}
	if nameCol < 0 {
		nameCol = shortCol
	}
	if codeCol < 0 || nameCol < 0 {
		return nil, ErrBankList
	}
	b := &Banks{byCode: map[string]Institution{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ErrBankList
		}
		if codeCol >= len(rec) || nameCol >= len(rec) {
			continue
		}
		code := strings.TrimSpace(rec[codeCol])
		if len(code) < 3 && allDigits(code) && code != "" {
			code = strings.Repeat("0", 3-len(code)) + code
		}
		if len(code) != 3 || !allDigits(code) {
			continue
		}
		inst := Institution{Code: code, Name: strings.TrimSpace(rec[nameCol])}
		if ispbCol >= 0 && ispbCol < len(rec) {
			inst.ISPB = strings.TrimSpace(rec[ispbCol])
		}
		b.byCode[code] = inst
	}
	if len(b.byCode) == 0 {
		return nil, ErrBankList
	}
	return b, nil
}

// Bank is a bank reference of the customer: an account at a bank, with the
// branch (agência) and account numbers and their check digits as the bank
// prints them. For Caixa, Account holds the 3-digit operation followed by
// the 8-digit account ("00100000448").
type Bank struct {
	Code         string `json:"code"`                    // COMPE code, "001"
	Branch       string `json:"branch"`                  // agência, digits
	BranchDigit  string `json:"branch_digit,omitempty"`  // check digit of the branch, where the bank has one
	Account      string `json:"account"`                 // account number, digits
	AccountDigit string `json:"account_digit,omitempty"` // check digit of the account
}

// bankRule is the layout and check-digit arithmetic of one bank.
type bankRule struct {
	branchLen  int // digits of the branch; shorter input is right-aligned
	accountLen int // digits of the account
	// branchDigit computes the branch check digit, or is nil for a bank
	// whose branches have none.
	branchDigit func(branch string) byte
	// accountDigit computes the account check digit from branch and account.
	accountDigit func(branch, account string) byte
	// zeroForP accepts a written 0 where P is computed (Bradesco).
	zeroForP bool
}

var bankRules = map[string]bankRule{
	"001": {4, 8, func(br string) byte { return mod11Letter(br, []int{5, 4, 3, 2}, 'X') },
		func(_, acc string) byte { return mod11Letter(acc, []int{9, 8, 7, 6, 5, 4, 3, 2}, 'X') }, false},
	"237": {4, 7, func(br string) byte { return mod11Letter(br, []int{5, 4, 3, 2}, 'P') },
		func(_, acc string) byte { return bradescoAccount(acc) }, true},
	"341": {4, 5, nil, func(br, acc string) byte { return itau(br + acc) }, false},
	"033": {4, 8, nil, func(br, acc string) byte { return santander(br + "00" + acc) }, false},
	"104": {4, 11, nil, func(br, acc string) byte { return caixa(br + acc) }, false},
	"041": {4, 9, nil, func(_, acc string) byte { return banrisul(acc) }, false},
}

func weighted(s string, w []int) int {
	sum := 0
	for i := 0; i < len(s); i++ {
		sum += int(s[i]-'0') * w[i]
	}
	return sum
}

// mod11Letter computes 11 − (sum mod 11) with 10 written as letter and 11
// as 0 (Banco do Brasil, Bradesco branches).
func mod11Letter(s string, w []int, letter byte) byte {
	d := 11 - weighted(s, w)%11
	switch d {
	case 10:
		return letter
	case 11:
		return '0'
	}
	return byte('0' + d)
}

func bradescoAccount(acc string) byte {
	switch m := weighted(acc, []int{2, 7, 6, 5, 4, 3, 2}) % 11; m {
	case 0:
		return '0'
	case 1:
		return 'P'
	default:
		return byte('0' + 11 - m)
	}
}

func itau(s string) byte {
	sum := 0
	for i := 0; i < len(s); i++ {
		p := int(s[i]-'0') * (2 - i%2)
		sum += p/10 + p%10
	}
	return byte('0' + (10-sum%10)%10)
}

func santander(s string) byte {
	w := []int{9, 7, 3, 1, 0, 0, 9, 7, 1, 3, 1, 9, 7, 3}
	sum := 0
	for i := 0; i < len(s); i++ {
		sum += int(s[i]-'0') * w[i] % 10
	}
	return byte('0' + (10-sum%10)%10)
}

func caixa(s string) byte {
	d := weighted(s, []int{8, 7, 6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}) * 10 % 11
	if d == 10 {
		d = 0
	}
	return byte('0' + d)
}

func banrisul(acc string) byte {
	switch m := weighted(acc, []int{3, 2, 4, 7, 6, 5, 4, 3, 2}) % 11; m {
	case 0:
		return '0'
	case 1:
		return '6'
	default:
		return byte('0' + 11 - m)
	}
}

// Normalize returns b in canonical form: separators and surrounding space
// removed, check digits upper-cased, and for the banks with published rules
// branch and account right-aligned with leading zeros to the bank's length
// (bank numbers are written with and without them).
func (b Bank) Normalize() Bank {
	b.Code = digitsOnly(b.Code)
	if len(b.Code) > 0 && len(b.Code) < 3 && allDigits(b.Code) {
		b.Code = strings.Repeat("0", 3-len(b.Code)) + b.Code
	}
	b.Branch = digitsOnly(b.Branch)
	b.Account = digitsOnly(b.Account)
	b.BranchDigit = strings.ToUpper(digitsOnly(b.BranchDigit))
	b.AccountDigit = strings.ToUpper(digitsOnly(b.AccountDigit))
	if r, ok := bankRules[b.Code]; ok {
		b.Branch = padLeft(b.Branch, r.branchLen)
		b.Account = padLeft(b.Account, r.accountLen)
	}
	return b
}

func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '/', '\t':
			return -1
		}
		return r
	}, s)
}

func padLeft(s string, n int) string {
	if len(s) >= n || s == "" {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// Validate checks b, normalised, against its bank's published rules: Banco
// do Brasil, Bradesco, Itaú, Santander, Caixa and Banrisul have their
// branch and account check digits computed; other banks are checked for
// structure only (branch of 1-5 digits, account of 1-13 digits, a check
// digit of up to two letters or digits). It returns nil or an
// [*validation.Error] with paths relative to the reference.
func (b Bank) Validate() error {
	b = b.Normalize()
	var v validation.Error
	if len(b.Code) != 3 || !allDigits(b.Code) {
		v.Add("code", ErrBankCode)
		return v.Err()
	}
	r, ok := bankRules[b.Code]
	if !ok {
		if b.Branch == "" || len(b.Branch) > 5 || !allDigits(b.Branch) {
			v.Add("branch", ErrBranch)
		}
		if len(b.BranchDigit) > 2 || !alnum(b.BranchDigit) {
			v.Add("branch_digit", ErrBranchCheckDigit)
		}
		if b.Account == "" || len(b.Account) > 13 || !allDigits(b.Account) {
			v.Add("account", ErrAccount)
		}
		if len(b.AccountDigit) > 2 || !alnum(b.AccountDigit) {
			v.Add("account_digit", ErrAccountDigit)
		}
		return v.Err()
	}
	branchOK := len(b.Branch) == r.branchLen && allDigits(b.Branch) && b.Branch != ""
	accountOK := len(b.Account) == r.accountLen && allDigits(b.Account) && b.Account != ""
	if !branchOK {
		v.Add("branch", ErrBranch)
	}
	if !accountOK {
		v.Add("account", ErrAccount)
	}
	switch {
	case r.branchDigit == nil && b.BranchDigit != "":
		v.Add("branch_digit", ErrBranchCheckDigit)
	case r.branchDigit != nil && branchOK && (len(b.BranchDigit) != 1 || b.BranchDigit[0] != r.branchDigit(b.Branch)):
		v.Add("branch_digit", ErrBranchCheckDigit)
	}
	if branchOK && accountOK {
		want := r.accountDigit(b.Branch, b.Account)
		got := byte(0)
		if len(b.AccountDigit) == 1 {
			got = b.AccountDigit[0]
		}
		if got != want && !(r.zeroForP && want == 'P' && got == '0') {
			v.Add("account_digit", ErrAccountDigit)
		}
	}
	return v.Err()
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
