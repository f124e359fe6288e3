package main

// catalog holds every message the command shows, in English and in
// Brazilian Portuguese.
var catalog = map[string][2]string{
	"help.head": {
		"ficha: the operators' tool of a Ficha customer store\n\n" +
			"usage: ficha [-dsn DSN] [-tenant TENANT] [-lang en|pt] [-progress auto|on|off] COMMAND [flags] [args]\n\n" +
			"The store: -dsn or FICHA_DSN (postgres://..., mysql://..., or an SQLite file; default ficha.db).\n" +
			"The tenant: -tenant or FICHA_TENANT.\n\ncommands:",
		"ficha: a ferramenta dos operadores de um cadastro de clientes Ficha\n\n" +
			"uso: ficha [-dsn DSN] [-tenant LOJA] [-lang en|pt] [-progress auto|on|off] COMANDO [opções] [argumentos]\n\n" +
			"O banco: -dsn ou FICHA_DSN (postgres://..., mysql://..., ou um arquivo SQLite; padrão ficha.db).\n" +
			"A loja (tenant): -tenant ou FICHA_TENANT.\n\ncomandos:",
	},
	"help.tail": {
		"\n\"ficha COMMAND -h\" describes a command's flags.\n" +
			"Exit codes: 0 done, 1 failed, 2 usage, 3 import with rejected rows, 4 not found, 5 refused.",
		"\n\"ficha COMANDO -h\" descreve as opções de um comando.\n" +
			"Códigos de saída: 0 concluído, 1 falhou, 2 uso incorreto, 3 importação com linhas recusadas, 4 não encontrado, 5 recusado.",
	},
	"cmd.migrate":    {"apply the database migrations and show the schema version", "aplica as migrações do banco e mostra a versão do esquema"},
	"cmd.import":     {"import customers from a CSV or JSON Lines file", "importa clientes de um arquivo CSV ou JSON Lines"},
	"cmd.export":     {"export customers to CSV or JSON Lines", "exporta clientes para CSV ou JSON Lines"},
	"cmd.search":     {"search customers by name, phone, CPF/CNPJ, plate...", "pesquisa clientes por nome, telefone, CPF/CNPJ, placa..."},
	"cmd.show":       {"print a customer's sheet (by ID or CPF/CNPJ)", "imprime a ficha de um cliente (por ID ou CPF/CNPJ)"},
	"cmd.duplicates": {"list likely duplicates of one customer, or of all", "lista prováveis duplicados de um cliente, ou de todos"},
	"cmd.merge":      {"merge one customer (FROM) into another (INTO)", "unifica um cliente (ORIGEM) em outro (DESTINO)"},

	"help.migrate": {"usage: ficha migrate", "uso: ficha migrate"},
	"help.search": {
		"usage: ficha search [-name N] [-phone P] [-tax-id CPF/CNPJ] [-company C] [-vin V] [-plate P] [-dms CODE] [-os CODE] [-email E] [-limit N] [-json]",
		"uso: ficha search [-name NOME] [-phone TEL] [-tax-id CPF/CNPJ] [-company EMPRESA] [-vin CHASSI] [-plate PLACA] [-dms CÓDIGO] [-os CÓDIGO] [-email E] [-limit N] [-json]",
	},
	"help.show": {"usage: ficha show [-json] ID|CPF|CNPJ", "uso: ficha show [-json] ID|CPF|CNPJ"},
	"help.duplicates": {
		"usage: ficha duplicates [-min SCORE] [-json] [ID|CPF|CNPJ]\n  without an argument, scans the whole tenant",
		"uso: ficha duplicates [-min PONTUAÇÃO] [-json] [ID|CPF|CNPJ]\n  sem argumento, examina a loja inteira",
	},
	"help.merge": {
		"usage: ficha merge [-take field,field] [-yes] INTO FROM\n  INTO survives; FROM is merged into it and goes. Without -yes, only shows what would change.\n  -take names the fields whose value comes from FROM: name, trade_name, tax_id, employer, birth_date, notes, dms_code, status, info.KEY",
		"uso: ficha merge [-take campo,campo] [-yes] DESTINO ORIGEM\n  DESTINO permanece; ORIGEM é unificado nele e deixa de existir. Sem -yes, só mostra o que mudaria.\n  -take nomeia os campos cujo valor vem de ORIGEM: name, trade_name, tax_id, employer, birth_date, notes, dms_code, status, info.CHAVE",
	},
	"help.import": {
		"usage: ficha import [-format csv|jsonl] [-key tax_id|dms_code|id|email] [-dry-run] [-report FILE.csv] [-map \"Header=key\"]... [-encoding auto|utf-8|windows-1252] [-sep ';'] FILE\n  FILE \"-\" reads standard input",
		"uso: ficha import [-format csv|jsonl] [-key tax_id|dms_code|id|email] [-dry-run] [-report ARQUIVO.csv] [-map \"Cabeçalho=chave\"]... [-encoding auto|utf-8|windows-1252] [-sep ';'] ARQUIVO\n  ARQUIVO \"-\" lê a entrada padrão",
	},
	"help.export": {
		"usage: ficha export [-format csv|jsonl] [-o FILE] [-status prospect|customer]\n  without -o, writes to standard output",
		"uso: ficha export [-format csv|jsonl] [-o ARQUIVO] [-status prospect|customer]\n  sem -o, escreve na saída padrão",
	},

	"usage.flag":     {"unknown flag, or a bad value", "opção desconhecida, ou valor inválido"},
	"usage.lang":     {"-lang is en or pt", "-lang é en ou pt"},
	"usage.progress": {"-progress is auto, on or off", "-progress é auto, on ou off"},
	"usage.command":  {"unknown command", "comando desconhecido"},
	"usage.tenant":   {"name the tenant with -tenant or FICHA_TENANT", "informe a loja com -tenant ou FICHA_TENANT"},
	"usage.args":     {"unexpected arguments", "argumentos inesperados"},
	"usage.one":      {"name one customer: an ID, CPF or CNPJ", "informe um cliente: ID, CPF ou CNPJ"},
	"usage.two":      {"name two customers: INTO and FROM", "informe dois clientes: DESTINO e ORIGEM"},
	"usage.file":     {"name one file to import (\"-\" for standard input)", "informe um arquivo a importar (\"-\" para a entrada padrão)"},
	"usage.format":   {"-format is csv or jsonl", "-format é csv ou jsonl"},
	"usage.key":      {"-key is tax_id, dms_code, id or email", "-key é tax_id, dms_code, id ou email"},
	"usage.encoding": {"-encoding is auto, utf-8 or windows-1252", "-encoding é auto, utf-8 ou windows-1252"},
	"usage.sep":      {"-sep is ';', ',' or tab", "-sep é ';', ',' ou tab"},
	"usage.status":   {"-status is prospect or customer", "-status é prospect ou customer"},
	"usage.map":      {"-map names a column key that does not exist (see the keys in csvio's documentation)", "-map nomeia uma chave de coluna que não existe (veja as chaves na documentação do csvio)"},
	"usage.report":   {"-report names the file being imported: choose another", "-report é o próprio arquivo importado: escolha outro"},
	"usage.store":    {"the output file is the store's own database file: choose another", "o arquivo de saída é o próprio arquivo do banco: escolha outro"},

	"err.not_found":        {"no such customer", "cliente não encontrado"},
	"err.invalid":          {"the data is not valid:", "os dados não são válidos:"},
	"err.conflict":         {"the record changed meanwhile: read it again and retry", "o cadastro mudou enquanto isso: leia de novo e tente outra vez"},
	"err.anonymised":       {"the record was anonymised", "o cadastro foi anonimizado"},
	"err.tenant":           {"the tenant name is not valid", "o nome da loja não é válido"},
	"err.cancelled":        {"interrupted", "interrompido"},
	"err.duplicate_tax_id": {"the CPF/CNPJ belongs to customer %s", "o CPF/CNPJ pertence ao cliente %s"},
	"err.failed":           {"failed: %v", "falhou: %v"},
	"err.open":             {"cannot open the store: %v", "não foi possível abrir o banco: %v"},
	"err.merge":            {"these records cannot be merged:", "estes cadastros não podem ser unificados:"},
	"err.merged":           {"that customer was merged into %s", "esse cliente foi unificado em %s"},
	"err.file":             {"cannot read or write the file: %v", "não foi possível ler ou gravar o arquivo: %v"},
	"err.header":           {"the file cannot be imported: %s", "o arquivo não pode ser importado: %s"},

	"migrate.done":    {"schema at version %d (this version of ficha knows %d)", "esquema na versão %d (esta versão do ficha conhece %d)"},
	"search.none":     {"no customer found", "nenhum cliente encontrado"},
	"search.more":     {"(more results: narrow the search or raise -limit)", "(há mais resultados: refine a pesquisa ou aumente -limit)"},
	"col.header":      {"ID\tNAME\tCPF/CNPJ\tPHONE\tCITY", "ID\tNOME\tCPF/CNPJ\tTELEFONE\tCIDADE"},
	"dup.none":        {"no likely duplicate", "nenhum provável duplicado"},
	"dup.count":       {"%d likely duplicate pairs", "%d pares de prováveis duplicados"},
	"dup.progress":    {"looking for duplicates", "procurando duplicados"},
	"merge.preview":   {"merging %s into %s would change:", "unificar %s em %s mudaria:"},
	"merge.confirm":   {"run again with -yes to merge", "rode de novo com -yes para unificar"},
	"merge.done":      {"%s merged into %s (now version %d)", "%s unificado em %s (agora na versão %d)"},
	"import.progress": {"importing, rows read:", "importando, linhas lidas:"},
	"import.done": {"rows %d: created %d, updated %d, unchanged %d, rejected %d",
		"linhas %d: criados %d, alterados %d, sem mudança %d, recusadas %d"},
	"import.dry": {"dry run, nothing written. rows %d: would create %d, update %d, leave %d unchanged, reject %d",
		"simulação, nada gravado. linhas %d: criaria %d, alteraria %d, deixaria %d sem mudança, recusaria %d"},
	"import.more":     {"  ... and %d more problems: write them all with -report", "  ... e mais %d problemas: grave todos com -report"},
	"export.progress": {"exporting", "exportando"},
	"import.encoding": {"some rows are not UTF-8: if the file came from Excel, try -encoding windows-1252",
		"algumas linhas não são UTF-8: se o arquivo veio do Excel, tente -encoding windows-1252"},
	"export.done": {"%d customers written to %s", "%d clientes gravados em %s"},
}
