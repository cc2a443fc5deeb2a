{#-
    One row: how the two 2022 city indices agree on the cities both rank. Spearman's rho is the
    Pearson correlation of the ranks within the overlap; Kendall's tau counts concordant and
    discordant pairs (printed ranks have no ties, so tau-a = tau-b). Both are rounded to 1e-9
    so that results do not depend on the order floating-point sums run in. The pair count is bounded by
    CCID's printed top 100, so the self-join stays at most 4,950 pairs whatever the gazetteer size.
-#}
with

cities as (
    select * from {{ ref('h3c_vs_ccid_cities') }}
),

overlap as (
    select * from cities
    where is_in_both
),

pairs as (
    select
        sign(earlier.h3c_rank - later.h3c_rank)
        * sign(earlier.ccid_rank - later.ccid_rank) as agreement
    from overlap as earlier
    inner join overlap as later
        on earlier.unit_id < later.unit_id
),

kendall as (
    select
        count(*) filter (where agreement > 0) as n_concordant_pairs,
        count(*) filter (where agreement < 0) as n_discordant_pairs,
        round(
            (count(*) filter (where agreement > 0) - count(*) filter (where agreement < 0))
            / nullif(count(*), 0), 9
        ) as kendall_tau
    from pairs
),

counts as (
    select
        count(*) filter (where is_in_h3c) as n_cities_h3c,
        count(*) filter (where is_in_ccid) as n_cities_ccid,
        count(*) filter (where is_in_both) as n_cities_in_both,
        count(*) filter (where is_in_ccid and not is_in_both) as n_ccid_only,
        count(*) filter (where h3c_rank <= 100 and ccid_rank is not null) as n_in_both_top_100,
        count(*) filter (where h3c_rank <= 10 and ccid_rank <= 10) as n_in_both_top_10,
        round(corr(h3c_rank_in_overlap, ccid_rank_in_overlap), 9) as spearman_rho,
        avg(abs(h3c_rank - ccid_rank)) filter (where is_in_both) as mean_absolute_rank_gap
    from cities
),

final as (
    select
        counts.*,
        'h3c_cddi_2022__city vs ccid_dcc_2022__city' as comparison_id,
        kendall.kendall_tau,
        kendall.n_concordant_pairs,
        kendall.n_discordant_pairs
    from counts
    cross join kendall
)

select * from final
