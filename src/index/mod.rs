//! Stage 4: the tantivy index of records, and search and export over it.
//!
//! One tantivy document per record, holding the record's JSON (export and migration need nothing
//! else), the [`DocContext`] it inherits from its document, filter fields and Swedish text fields (see
//! [`analyzer`]). A document is its content: its id comes from the file's sha256, and the same bytes
//! under several paths are one document listing every path.
//!
//! Two sides, kept apart: [`Index`] reads and never writes (no lock, no migration, no rename), so any
//! number of searches, exports and web pages can run beside an ingest; [`Writer`] is the one side that
//! changes an index (it holds the lock, migrates an index from another version first, and commits in
//! batches). Nothing a writer does is visible before its commit, and a reader sees each commit within a
//! second.
//!
//! This module never reads source files and never interprets a record beyond what it indexes.

mod analyzer;
mod catalog;
mod decompound;
mod document;
mod facets;
mod failures;
mod lexicon;
mod memo;
mod migrate;
mod pread;
mod query;
mod schema;
mod search;
mod writer;

pub use analyzer::SwedishTerms;
pub use catalog::{IngestInfo, Listed};
pub use facets::{year_rows, YearRow};
pub use failures::Failure;
pub use writer::{rebuild, Change, Writer};

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::error::Error;
use crate::records::{Kind, Record};
use crate::segment::{DocType, Status};
use analyzer::Side;
use schema::Fields;

/// Which records to return: every set field must match.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Inclusive range of a record's own years: an activity's years, else its document's year.
    pub years: Option<(i32, i32)>,
    /// Inclusive range of the document's year.
    pub doc_years: Option<(i32, i32)>,
    pub doc_type: Option<DocType>,
    pub kind: Option<Kind>,
    /// An activity's status (only activities have one).
    pub status: Option<Status>,
    /// Words of an actor's name, matched as the text is (stemmed, with or without diacritics).
    pub actor: Option<String>,
    /// The organisation that published the document (SKL, SKR), in any case.
    pub org: Option<String>,
}

/// The order of search hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest document first (by its year), best match first within a year.
    Date,
}

/// What [`Index::counts`] finds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: u64,
    /// (year, kind name) → records.
    pub by_year: std::collections::BTreeMap<(i32, String), u64>,
    /// Document type name (`circular`, …) → records.
    pub by_type: std::collections::BTreeMap<String, u64>,
    /// Kind name (`activity`, …) → records.
    pub by_kind: std::collections::BTreeMap<String, u64>,
}

impl Counts {
    /// `{"total", "by_year": [YearRow…], "by_type": {…}, "by_kind": {…}}`, as the web API answers.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "total": self.total,
            "by_year": year_rows(&self.by_year).iter().map(YearRow::to_json).collect::<Vec<_>>(),
            "by_type": self.by_type,
            "by_kind": self.by_kind,
        })
    }
}

/// What a record's document contributes to each of its records in the index.
#[derive(Debug, Clone, PartialEq)]
pub struct DocContext {
    pub title: String,
    pub doc_type: DocType,
    pub year: Option<i32>,
    /// The organisation the document names itself by (`SKL`, `SKR`, …).
    pub org: Option<String>,
    /// Headings from the top section down to the record's own section (empty for a document record).
    pub section_path: Vec<String>,
}

/// One search result.
#[derive(Debug, Clone)]
pub struct Hit {
    pub record: Record,
    pub context: DocContext,
    pub score: f32,
    /// The best passage, matched words marked with `«` and `»`.
    pub snippet: String,
}

impl Hit {
    /// The hit as one JSON object: the record's own fields plus `score`, `snippet`, `year`, `doc_title`,
    /// `doc_type` and `section_path` (what `arkiv search --json` and the web API print).
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(&self.record).unwrap_or(serde_json::Value::Null);
        if let Some(obj) = value.as_object_mut() {
            obj.insert("score".into(), serde_json::json!(self.score));
            obj.insert("snippet".into(), serde_json::json!(self.snippet));
            obj.insert("year".into(), serde_json::json!(self.context.year));
            obj.insert("doc_title".into(), serde_json::json!(self.context.title));
            obj.insert("doc_type".into(), serde_json::json!(self.context.doc_type));
            obj.insert("section_path".into(), serde_json::json!(self.context.section_path));
        }
        value
    }
}

/// One index directory, or several read as one (shards), for reading only.
///
/// Opening never writes: it takes no lock, creates, migrates or renames nothing (see [`Writer`] for
/// the one side that does). The reader follows the writer's commits on its own, within a second.
///
/// Over shards, every answer is the one a single index holding all their records would give: queries
/// are built from the union of their term dictionaries, hits are scored with statistics summed over
/// all shards ([`Global`]) and merged by score, and counts are summed. A document id is in one shard
/// (shards are cut by document id); the same document in two shards is shown twice.
pub struct Index {
    shards: Vec<Shard>,
    fields: Fields,
    /// The query side of the analysers (no compound parts).
    query_tokenizers: tantivy::tokenizer::TokenizerManager,
}

impl Index {
    /// Open the index in `dir` for reading. A clear error when `dir` holds none, when its first commit
    /// is still being written, or when another version of arkiv wrote it.
    pub fn open(dir: &Path) -> Result<Index, Error> {
        if !has_index(dir) {
            if writer::is_active(dir) {
                return Err(Error::Index(building(dir, 0)));
            }
            return Err(Error::Index(format!("no index in {}: run `arkiv ingest` first", dir.display())));
        }
        let index = open_tantivy(dir)?;
        match index.load_metas()?.payload {
            None if writer::is_active(dir) => return Err(Error::Index(building(dir, 0))),
            None => {
                return Err(Error::Index(format!(
                    "{} holds an index whose first ingest was interrupted: run `arkiv ingest` again",
                    dir.display()
                )))
            }
            Some(payload) if payload != schema::payload() || index.schema() != schema::build() => {
                return Err(Error::Index(schema::version_mismatch(dir, &payload)));
            }
            Some(_) => {}
        }
        Index::from_tantivy(dir, index, ReloadPolicy::OnCommitWithDelay)
    }

    /// Open the shards in `dirs` as one index (see [`Index`]); each is opened as [`Index::open`] does.
    pub fn open_shards(dirs: &[PathBuf]) -> Result<Index, Error> {
        let mut shards = Vec::with_capacity(dirs.len());
        let mut fields = None;
        for dir in dirs {
            let mut one = Index::open(dir)?;
            fields.get_or_insert(one.fields);
            shards.append(&mut one.shards);
        }
        let fields = fields.ok_or_else(|| Error::Index("no index given: name one with --index".into()))?;
        Ok(Index { shards, fields, query_tokenizers: analyzer::query_manager() })
    }

    /// The reader over an opened, current tantivy index.
    fn from_tantivy(dir: &Path, index: tantivy::Index, policy: ReloadPolicy) -> Result<Index, Error> {
        let reader: IndexReader = index.reader_builder().reload_policy(policy).try_into()?;
        let fields = schema::fields(&index.schema())?;
        let shard = Shard { dir: dir.to_path_buf(), reader };
        Ok(Index { shards: vec![shard], fields, query_tokenizers: analyzer::query_manager() })
    }

    /// The first shard's folder (the only one of an index a [`Writer`] holds).
    fn dir(&self) -> &Path {
        self.shards.first().map_or(Path::new(""), |shard| shard.dir.as_path())
    }

    /// Read every shard's last commit now (a [`Writer`]'s reader does not follow commits on its own).
    fn reload(&self) -> Result<(), Error> {
        for shard in &self.shards {
            shard.reader.reload()?;
        }
        Ok(())
    }

    /// One searcher per shard, on each one's last commit.
    fn searchers(&self) -> Vec<Searcher> {
        self.shards.iter().map(|shard| shard.reader.searcher()).collect()
    }

    /// When an ingest is writing this index (any shard) now, a sentence saying so, for a reader to
    /// show beside results that may still grow.
    pub fn note(&self) -> Option<String> {
        let dir = self.shards.iter().find(|shard| writer::is_active(&shard.dir))?.dir.clone();
        self.being_built().map(|documents| building(&dir, documents))
    }

    /// When an ingest is writing this index now, the number of documents committed so far.
    pub fn being_built(&self) -> Option<u64> {
        let active = self.shards.iter().any(|shard| writer::is_active(&shard.dir));
        active.then(|| self.document_count().unwrap_or(0))
    }

    /// Number of records in the index.
    pub fn record_count(&self) -> Result<u64, Error> {
        Ok(self.searchers().iter().map(Searcher::num_docs).sum())
    }

    /// Number of documents (document records) in the index.
    pub fn document_count(&self) -> Result<u64, Error> {
        let mut count = 0;
        for searcher in self.searchers() {
            count += searcher.search(&self.kind_query(Kind::Document), &tantivy::collector::Count)? as u64;
        }
        Ok(count)
    }

    /// Every document, ordered by its first path.
    pub fn documents(&self) -> Result<Vec<Listed>, Error> {
        let mut listed = Vec::new();
        for searcher in self.searchers() {
            for address in searcher.search(&self.kind_query(Kind::Document), &DocSetCollector)? {
                let doc: TantivyDocument = searcher.doc(address)?;
                let Record::Document(d) = document::parse_stored(&doc, self.fields.record, "record")? else {
                    continue;
                };
                let info = document::ingest_info(&self.fields, &doc);
                listed.push(Listed::new(d, info));
            }
        }
        listed.sort_by(|a, b| a.paths.cmp(&b.paths).then_with(|| a.id.cmp(&b.id)));
        Ok(listed)
    }

    /// Every document's id and paths, read from fast fields only (no stored record is touched, so
    /// this stays cheap in time and memory however large the archive).
    pub(crate) fn catalog(&self) -> Result<Vec<(String, Vec<String>)>, Error> {
        let mut catalog = Vec::new();
        for searcher in self.searchers() {
            catalog.extend(self.catalog_of(&searcher)?);
        }
        Ok(catalog)
    }

    fn catalog_of(&self, searcher: &Searcher) -> Result<Vec<(String, Vec<String>)>, Error> {
        let mut by_segment: Vec<Vec<tantivy::DocId>> = vec![Vec::new(); searcher.segment_readers().len()];
        for address in searcher.search(&self.kind_query(Kind::Document), &DocSetCollector)? {
            if let Some(docs) = by_segment.get_mut(address.segment_ord as usize) {
                docs.push(address.doc_id);
            }
        }
        let mut catalog = Vec::new();
        let (mut doc_id, mut paths) = (String::new(), String::new());
        for (segment, docs) in searcher.segment_readers().iter().zip(by_segment) {
            let fast = segment.fast_fields();
            let missing = || Error::Index("the index lacks its doc_id and paths fast fields".into());
            let doc_ids = fast.str(schema::DOC_ID)?.ok_or_else(missing)?;
            let path_lists = fast.str(schema::PATHS)?.ok_or_else(missing)?;
            for doc in docs {
                let first =
                    |column: &tantivy::columnar::StrColumn, out: &mut String| -> Result<bool, Error> {
                        out.clear();
                        match column.term_ords(doc).next() {
                            Some(ord) => Ok(column.ord_to_str(ord, out)?),
                            None => Ok(false),
                        }
                    };
                if first(&doc_ids, &mut doc_id)? && first(&path_lists, &mut paths)? {
                    let list: Vec<String> = serde_json::from_str(&paths)
                        .map_err(|e| Error::Index(format!("a stored path list is unreadable: {e}")))?;
                    catalog.push((doc_id.clone(), list));
                }
            }
        }
        Ok(catalog)
    }

    /// The files that failed at their last ingest, by path.
    pub fn failures(&self) -> Result<Vec<Failure>, Error> {
        let mut all = Vec::new();
        for shard in &self.shards {
            all.extend(failures::load(&shard.dir)?.into_values());
        }
        Ok(all)
    }

    /// Every record of the document `doc_id`, in document order.
    pub fn document_records(&self, doc_id: &str) -> Result<(Vec<Record>, IngestInfo), Error> {
        let query =
            TermQuery::new(Term::from_field_text(self.fields.doc_id, doc_id), IndexRecordOption::Basic);
        // The first shard that holds the document: a document is in one shard.
        for searcher in self.searchers() {
            let found = searcher.search(&query, &DocSetCollector)?;
            if found.is_empty() {
                continue;
            }
            let mut records = Vec::with_capacity(found.len());
            let mut info = IngestInfo::default();
            for address in found {
                let doc: TantivyDocument = searcher.doc(address)?;
                let ordinal = doc.get_first(self.fields.ordinal).and_then(|v| v.as_u64()).unwrap_or(0);
                if ordinal == 0 {
                    info = document::ingest_info(&self.fields, &doc);
                }
                records.push((ordinal, document::parse_stored(&doc, self.fields.record, "record")?));
            }
            records.sort_by_key(|(ordinal, _)| *ordinal);
            return Ok((records.into_iter().map(|(_, r)| r).collect(), info));
        }
        Ok((Vec::new(), IngestInfo::default()))
    }

    /// The document record of `doc_id`, with its ingest information.
    pub fn document_record(
        &self,
        doc_id: &str,
    ) -> Result<(crate::records::DocumentRecord, IngestInfo), Error> {
        let query = TermQuery::new(Term::from_field_text(self.fields.id, doc_id), IndexRecordOption::Basic);
        for searcher in self.searchers() {
            for address in searcher.search(&query, &DocSetCollector)? {
                let doc: TantivyDocument = searcher.doc(address)?;
                if let Record::Document(d) = document::parse_stored(&doc, self.fields.record, "record")? {
                    return Ok((d, document::ingest_info(&self.fields, &doc)));
                }
            }
        }
        Err(Error::Index(format!("no document {doc_id} in {}", self.dir().display())))
    }

    /// Ranked records matching `query` and `filter`. An empty query lists the filtered records in
    /// export order.
    pub fn search(&self, query: &str, filter: &Filter, limit: usize) -> Result<Vec<Hit>, Error> {
        self.search_sorted(query, filter, limit, Sort::Relevance)
    }

    /// How many records match `query` and `filter`, in all and in each (year, kind), in one pass: a
    /// record counts in each of its own years (see [`Filter::years`]), and every match counts, not
    /// only the first hits.
    pub fn counts(&self, query: &str, filter: &Filter) -> Result<Counts, Error> {
        let searchers = self.searchers();
        let tantivy_query = search::build(&searchers, &self.fields, &self.query_tokenizers, query, filter);
        counts_of(&searchers, &*tantivy_query)
    }

    /// One page of hits, as [`Index::search_page`], with the [`Counts`] of all matches: what a search
    /// page shows, from one build of the query (expanding typos and prefixes reads the term
    /// dictionary).
    pub fn page(
        &self,
        query: &str,
        filter: &Filter,
        sort: Sort,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<Hit>, Counts), Error> {
        let searchers = self.searchers();
        let tantivy_query = search::build(&searchers, &self.fields, &self.query_tokenizers, query, filter);
        let hits = self.hits(&searchers, &*tantivy_query, query, sort, offset, limit)?;
        Ok((hits, counts_of(&searchers, &*tantivy_query)?))
    }

    /// As [`Index::search`], in the order `sort` asks for.
    pub fn search_sorted(
        &self,
        query: &str,
        filter: &Filter,
        limit: usize,
        sort: Sort,
    ) -> Result<Vec<Hit>, Error> {
        self.search_page(query, filter, sort, 0, limit)
    }

    /// As [`Index::search_sorted`], the `limit` hits after the first `offset`: one page of a list.
    pub fn search_page(
        &self,
        query: &str,
        filter: &Filter,
        sort: Sort,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Hit>, Error> {
        let searchers = self.searchers();
        let tantivy_query = search::build(&searchers, &self.fields, &self.query_tokenizers, query, filter);
        self.hits(&searchers, &*tantivy_query, query, sort, offset, limit)
    }

    /// The hits of `tantivy_query` (built from `query`) in `sort` order, `limit` of them after
    /// `offset`, with snippets: each shard's first `offset + limit`, scored with the statistics of all
    /// of them, merged.
    fn hits(
        &self,
        searchers: &[Searcher],
        tantivy_query: &dyn Query,
        query: &str,
        sort: Sort,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Hit>, Error> {
        // tantivy allocates for the limit up front: never ask for more than there is.
        let num_docs: u64 = searchers.iter().map(Searcher::num_docs).sum();
        let num_docs = usize::try_from(num_docs).unwrap_or(usize::MAX);
        let limit = limit.min(num_docs.saturating_sub(offset));
        if limit == 0 {
            return Ok(Vec::new());
        }
        if document::normalize(query).trim().is_empty() && sort == Sort::Relevance {
            let records = in_order(searchers, &self.fields, tantivy_query, offset + limit)?;
            return Ok(records
                .into_iter()
                .skip(offset)
                .map(|(record, context)| {
                    let snippet = search::opening(&document::body_text(&record));
                    Hit { record, context, score: 0.0, snippet }
                })
                .collect());
        }
        let statistics = Global(searchers);
        let first = offset + limit;
        // (year for a sort by date, score, shard, address), from every shard, the shards searched
        // in parallel.
        let per_shard: Vec<Vec<(i64, f32, usize, tantivy::DocAddress)>> = searchers
            .par_iter()
            .enumerate()
            .map(|(shard, searcher)| -> Result<Vec<_>, Error> {
                let wanted = first.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
                if wanted == 0 {
                    return Ok(Vec::new());
                }
                Ok(match sort {
                    Sort::Relevance => searcher
                        .search_with_statistics_provider(
                            tantivy_query,
                            &TopDocs::with_limit(wanted).order_by_score(),
                            &statistics,
                        )?
                        .into_iter()
                        .map(|(score, address)| (0, score, shard, address))
                        .collect(),
                    Sort::Date => {
                        let order = (
                            (SortByStaticFastValue::<i64>::for_field("year"), Order::Desc),
                            (SortBySimilarityScore, Order::Desc),
                        );
                        searcher
                            .search_with_statistics_provider(
                                tantivy_query,
                                &TopDocs::with_limit(wanted).order_by(order),
                                &statistics,
                            )?
                            .into_iter()
                            .map(|((year, score), address)| (year.unwrap_or(i64::MIN), score, shard, address))
                            .collect()
                    }
                })
            })
            .collect::<Result<_, Error>>()?;
        let mut top: Vec<(i64, f32, usize, tantivy::DocAddress)> = per_shard.into_iter().flatten().collect();
        // As one index orders them: by year (a sort by date), score, then place.
        top.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3)));
        let mut page = Vec::with_capacity(limit);
        for (year, score, shard, address) in top.into_iter().skip(offset).take(limit) {
            let doc: TantivyDocument = searchers[shard].doc(address)?;
            let (record, context) = document::from_stored(&self.fields, &doc)?;
            page.push((year, shard, Hit { record, context, score, snippet: String::new() }));
        }
        // Equal scores in record id order, however the records are spread over shards and segments.
        page.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.2.score.total_cmp(&a.2.score))
                .then_with(|| a.2.record.id().cmp(b.2.record.id()))
        });
        let (shards, mut hits): (Vec<usize>, Vec<Hit>) =
            page.into_iter().map(|(_, shard, hit)| (shard, hit)).unzip();

        // Snippets are the costly part of a hit: made only for the hits returned, with the
        // generators of each hit's shard.
        let mut snippets: Vec<Option<search::Snippets>> = (0..searchers.len()).map(|_| None).collect();
        for (hit, shard) in hits.iter_mut().zip(shards) {
            let generator = match &mut snippets[shard] {
                Some(generator) => generator,
                slot => slot.insert(search::Snippets::new(&searchers[shard], tantivy_query, &self.fields)?),
            };
            hit.snippet = generator.snippet(&document::body_text(&hit.record));
        }
        Ok(hits)
    }

    /// Marks the words of `query` in any text (a document view's records), as a hit's snippet marks
    /// them.
    pub fn highlighter(&self, query: &str) -> Result<search::Highlighter, Error> {
        let searchers = self.searchers();
        let tantivy_query =
            search::build(&searchers, &self.fields, &self.query_tokenizers, query, &Filter::default());
        // Marking words needs no statistics beyond which terms the query holds: any shard will do.
        let Some(searcher) = searchers.first() else {
            return Err(Error::Index("no index given: name one with --index".into()));
        };
        Ok(search::Highlighter(search::Snippets::new(searcher, &*tantivy_query, &self.fields)?))
    }

    /// Changes whenever this reader sees a new commit (of any shard): the key for anything derived
    /// from the index.
    pub fn generation(&self) -> u64 {
        self.searchers().iter().fold(0u64, |key, searcher| {
            key.wrapping_mul(1_000_003).wrapping_add(searcher.generation().generation_id())
        })
    }

    /// Every record matching `filter`, documents in path order, each document's records in their order.
    pub fn export(&self, filter: &Filter) -> Result<Vec<(Record, DocContext)>, Error> {
        let searchers = self.searchers();
        let query = search::build(&searchers, &self.fields, &self.query_tokenizers, "", filter);
        in_order(&searchers, &self.fields, &*query, usize::MAX)
    }

    /// For a query that finds nothing: the query with each word the index does not hold replaced by
    /// the nearest indexed spelling (up to two letters away, the commonest of equally near ones), or
    /// `None` when no word has a nearer indexed spelling.
    pub fn suggest(&self, query: &str) -> Option<String> {
        search::suggest(&self.searchers(), self.fields.body_exact, query)
    }

    fn kind_query(&self, kind: Kind) -> TermQuery {
        TermQuery::new(Term::from_field_text(self.fields.kind, kind.as_str()), IndexRecordOption::Basic)
    }
}

/// What a reader says while an ingest is writing the index.
fn building(dir: &Path, documents: u64) -> String {
    format!(
        "{} is being built by another arkiv process; {documents} documents committed so far",
        dir.display()
    )
}

fn has_index(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

fn open_tantivy(dir: &Path) -> Result<tantivy::Index, Error> {
    let index = tantivy::Index::open_in_dir(dir)
        .map_err(|e| Error::Index(format!("cannot open the index in {}: {e}", dir.display())))?;
    // tantivy keeps only the analysers' names in the index: register them on every open.
    analyzer::register(index.tokenizers(), Side::Index);
    Ok(index)
}

/// One index folder of an [`Index`].
struct Shard {
    dir: PathBuf,
    reader: IndexReader,
}

/// BM25 statistics summed over shards: each shard's hits scored as one index over all of them would
/// score them. Fields and terms mean the same in every shard (one schema).
struct Global<'a>(&'a [Searcher]);

impl tantivy::query::Bm25StatisticsProvider for Global<'_> {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        self.0.iter().map(|s| s.total_num_tokens(field)).sum()
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.0.iter().map(|s| s.total_num_docs()).sum()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.0.iter().map(|s| s.doc_freq(term)).sum()
    }
}

/// The records matching `query` in every shard, at most `limit`, in path order and then in document
/// order.
fn in_order(
    searchers: &[Searcher],
    fields: &Fields,
    query: &dyn Query,
    limit: usize,
) -> Result<Vec<(Record, DocContext)>, Error> {
    let mut keyed = Vec::new();
    for searcher in searchers {
        let limit = limit.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
        if limit == 0 {
            continue;
        }
        let order = (
            (SortByString::for_field(schema::PATH), Order::Asc),
            (SortByStaticFastValue::<u64>::for_field(schema::ORDINAL), Order::Asc),
        );
        for (key, address) in searcher.search(query, &TopDocs::with_limit(limit).order_by(order))? {
            let doc: TantivyDocument = searcher.doc(address)?;
            keyed.push((key, document::from_stored(fields, &doc)?));
        }
    }
    if searchers.len() > 1 {
        // Each shard's list is in order; the merge is stable, so a shard's own order holds on ties.
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.truncate(limit);
    }
    Ok(keyed.into_iter().map(|(_, record)| record).collect())
}

/// The [`Counts`] of every match of `query` in every shard, from fast fields alone.
fn counts_of(searchers: &[Searcher], query: &dyn Query) -> Result<Counts, Error> {
    let collectors = (
        tantivy::collector::Count,
        facets::ByYear,
        facets::ByTerm(schema::DOC_TYPE),
        facets::ByTerm(schema::KIND),
    );
    fn add<K: Ord>(into: &mut std::collections::BTreeMap<K, u64>, from: std::collections::BTreeMap<K, u64>) {
        for (key, n) in from {
            *into.entry(key).or_default() += n;
        }
    }
    let mut counts = Counts::default();
    for searcher in searchers {
        let (total, by_year, by_type, by_kind) = searcher.search(query, &collectors)?;
        counts.total += total as u64;
        add(&mut counts.by_year, by_year);
        add(&mut counts.by_type, by_type);
        add(&mut counts.by_kind, by_kind);
    }
    Ok(counts)
}

#[cfg(test)]
mod tests;
