{#- One row per day over the editions' data years: the time spine MetricFlow requires. -#}
with

days as (
    select unnest(generate_series(date '2015-01-01', date '2030-12-31', interval 1 day))::date
        as date_day
)

select * from days
