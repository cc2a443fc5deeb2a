{#- CCID (赛迪顾问) 2022 China digital-city competitiveness framework: 6 pillars (一级指标), 18 sub-indicators
    (二级指标), each sub-indicator typed 投入 (input) / 成效 (outcome). Weights are NOT published: the equal weights
    below are this project's placeholder (weights_published=false). Level-3 indicators are not printed.
    (source: 002_dbb2a3d0072553d9.txt:L182-L204, 表2 2022数字城市评价体系) -#}
{% macro framework_ccid_dcc_2022__city() %}
    {{ return([
        {"node_code": "root", "parent_code": none, "level": 0, "name_zh": "数字城市竞争力", "name_en": "Digital city competitiveness", "weight": 1, "indicator_type": none, "source_ref": "002_dbb2a3d0072553d9.txt:L172-L204 (一、数字城市评价要点; 表2 2022数字城市评价体系)"},
        {"node_code": "p1", "parent_code": "root", "level": 1, "name_zh": "信息基础", "name_en": "Information infrastructure", "weight": 1/6, "indicator_type": none, "source_ref": "002_dbb2a3d0072553d9.txt:L185-L187 (表2 2022数字城市评价体系)"},
        {"node_code": "p1_1", "parent_code": "p1", "level": 2, "name_zh": "基础网络", "name_en": "Basic networks", "weight": 1/3, "indicator_type": "input", "source_ref": "002_dbb2a3d0072553d9.txt:L185 (表2 2022数字城市评价体系)"},
        {"node_code": "p1_2", "parent_code": "p1", "level": 2, "name_zh": "平台基础", "name_en": "Platform foundations", "weight": 1/3, "indicator_type": "input", "source_ref": "002_dbb2a3d0072553d9.txt:L186 (表2 2022数字城市评价体系)"},
        {"node_code": "p1_3", "parent_code": "p1", "level": 2, "name_zh": "数据资源体系", "name_en": "Data resource system", "weight": 1/3, "indicator_type": "outcome", "source_ref": "002_dbb2a3d0072553d9.txt:L187 (表2 2022数字城市评价体系)"},
        {"node_code": "p2", "parent_code": "root", "level": 1, "name_zh": "城市治理", "name_en": "Urban governance", "weight": 1/6, "indicator_type": none, "source_ref": "002_dbb2a3d0072553d9.txt:L188-L190 (表2 2022数字城市评价体系)"},
        {"node_code": "p2_1", "parent_code": "p2", "level": 2, "name_zh": "城市管理数字化", "name_en": "Digitalization of urban management", "weight": 1/3, "indicator_type": "outcome", "source_ref": "002_dbb2a3d0072553d9.txt:L188 (表2 2022数字城市评价体系)"},
        {"node_code": "p2_2", "parent_code": "p2", "level": 2, "name_zh": "公共安全数字化", "name_en": "Digitalization of public safety", "weight": 1/3, "indicator_type": "input", "source_ref": "002_dbb2a3d0072553d9.txt:L189 (表2 2022数字城市评价体系)"},
        {"node_code": "p2_3", "parent_code": "p2", "level": 2, "name_zh": "互联网+政务服务能力", "name_en": "Internet Plus government service capability", "weight": 1/3, "indicator_type": "input", "source_ref": "002_dbb2a3d0072553d9.txt:L190 (表2 2022数字城市评价体系)"},
        {"node_code": "p3", "parent_code": "root", "level": 1, "name_zh": "民生服务", "name_en": "Public livelihood services", "weight": 1/6, "indicator_type": none, "source_ref": "002_dbb2a3d0072553d9.txt:L191-L194 (表2 2022数字城市评价体系)"},
        {"node_code": "p3_1", "parent_code": "p3", "level": 2, "name_zh": "数字医健", "name_en": "Digital healthcare", "weight": 1/4, "indicator_type": "outcome", "source_ref": "002_dbb2a3d0072553d9.txt:L191 (表2 2022数字城市评价体系)"},
        {"node_code": "p3_2", "parent_code": "p3", "level": 2, "name_zh": "数字生活", "name_en": "Digital life", "weight": 1/4, "indicator_type": "outcome", "source_ref": "002_dbb2a3d0072553d9.txt:L192 (表2 2022数字城市评价体系)"},
        {"node_code": "p3_3", "parent_code": "p3", "level": 2, "name_zh": "数字交通", "name_en": "Digital transport", "weight": 1/4, "indicator_type": "input", "source_ref": "002_dbb2a3d0072553d9.txt:L193 (表2 2022数字城市评价体系)"},
        {"node_code": "p3_4", "parent_code": "p3", "level": 2, "name_zh": "数字教育", "name_en": "Digital education", "weight": 1/4, "indicator_type": "input", "source_ref": "002_dbb2a3d0072553d9.txt:L194 (表2 2022数字城市评价体系)"},
        {"node_code": "p4", "parent_code": "root", "level": 1, "name_zh": "产业经济", "name_en": "Industrial economy", "weight": 1/6, "indicator_type": none, "source_ref": "002_dbb2a3d0072553d9.txt:L195-L197 (表2 2022数字城市评价体系)"},
        {"node_code": "p4_1", "parent_code": "p4", "level": 2, "name_zh": "发展支撑", "name_en": "Development support", "weight": 1/3, "indicator_type": "input", "source_ref": "002_dbb2a3d0072553d9.txt:L195 (表2 2022数字城市评价体系)"},
        {"node_code": "p4_2", "parent_code": "p4", "level": 2, "name_zh": "发展服务", "name_en": "Development services", "weight": 1/3, "indicator_type": "outcome", "source_ref": "002_dbb2a3d0072553d9.txt:L196 (表2 2022数字城市评价体系)"},
        {"node_code": "p4_3", "parent_code": "p4", "level": 2, "name_zh": "发展转型", "name_en": "Development transformation", "weight": 1/3, "indicator_type": "outcome", "source_ref": "002_dbb2a3d0072553d9.txt:L197 (表2 2022数字城市评价体系)"},
        {"node_code": "p5", "parent_code": "root", "level": 1, "name_zh": "技术创新", "name_en": "Technological innovation", "weight": 1/6, "indicator_type": none, "source_ref": "002_dbb2a3d0072553d9.txt:L198-L200 (表2 2022数字城市评价体系)"},
        {"node_code": "p5_1", "parent_code": "p5", "level": 2, "name_zh": "技术创新能力", "name_en": "Technological innovation capability", "weight": 1/3, "indicator_type": "input", "source_ref": "002_dbb2a3d0072553d9.txt:L198 (表2 2022数字城市评价体系)"},
        {"node_code": "p5_2", "parent_code": "p5", "level": 2, "name_zh": "技术创新保障", "name_en": "Technological innovation support", "weight": 1/3, "indicator_type": "input", "source_ref": "002_dbb2a3d0072553d9.txt:L199 (表2 2022数字城市评价体系)"},
        {"node_code": "p5_3", "parent_code": "p5", "level": 2, "name_zh": "技术创新机制", "name_en": "Technological innovation mechanisms", "weight": 1/3, "indicator_type": "input", "source_ref": "002_dbb2a3d0072553d9.txt:L200 (表2 2022数字城市评价体系)"},
        {"node_code": "p6", "parent_code": "root", "level": 1, "name_zh": "低碳发展", "name_en": "Low-carbon development", "weight": 1/6, "indicator_type": none, "source_ref": "002_dbb2a3d0072553d9.txt:L201-L202 (表2 2022数字城市评价体系)"},
        {"node_code": "p6_1", "parent_code": "p6", "level": 2, "name_zh": "绿色生态", "name_en": "Green ecology", "weight": 1/2, "indicator_type": "outcome", "source_ref": "002_dbb2a3d0072553d9.txt:L201 (表2 2022数字城市评价体系)"},
        {"node_code": "p6_2", "parent_code": "p6", "level": 2, "name_zh": "绿色发展", "name_en": "Green development", "weight": 1/2, "indicator_type": "outcome", "source_ref": "002_dbb2a3d0072553d9.txt:L202 (表2 2022数字城市评价体系)"}
    ]) }}
{% endmacro %}
